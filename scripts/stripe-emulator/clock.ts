// An account's clock (each secret key has its own, so tests running in parallel can move time without
// touching each other). Every `created`, `expires_at`, period and expiry check reads `now()` from it, so
// a test can move time (POST /_emulator/clock) and see sessions expire and subscriptions renew.
// Webhook signatures are the exception: they use the wall clock, because the receiver checks the
// signature's timestamp against its own clock (stripe.webhooks.constructEvent's tolerance).
export class Clock {
  /** Set while the emulator does the work due at a past instant (billing/advance.ts). */
  private pinnedMs: number | undefined;

  constructor(private offsetMs = 0) {}

  /** Unix seconds, as Stripe's `created` fields. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowMs(): number {
    return this.pinnedMs ?? Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Sets the current time (unix seconds); the clock keeps running from there. */
  set(unixSeconds: number): void {
    this.offsetMs = unixSeconds * 1000 - Date.now();
  }

  /** Runs `work` with the clock standing still at `unixSeconds`, so what it creates carries that time. */
  at<T>(unixSeconds: number, work: () => T): T {
    this.pinnedMs = unixSeconds * 1000;
    try {
      return work();
    } finally {
      this.pinnedMs = undefined;
    }
  }

  get offset(): number {
    return this.offsetMs;
  }
}
