// The emulator's one clock. Every `created`, `expires_at` and expiry check reads `now()` from here, so a
// test can move time (POST /_emulator/clock) and see sessions expire (and, later, subscriptions renew).
// Webhook signatures are the exception: they use the wall clock, because the receiver checks the
// signature's timestamp against its own clock (stripe.webhooks.constructEvent's tolerance).
export class Clock {
  constructor(private offsetMs = 0) {}

  /** Unix seconds, as Stripe's `created` fields. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Sets the current time (unix seconds); the clock keeps running from there. */
  set(unixSeconds: number): void {
    this.offsetMs = unixSeconds * 1000 - Date.now();
  }

  get offset(): number {
    return this.offsetMs;
  }
}
