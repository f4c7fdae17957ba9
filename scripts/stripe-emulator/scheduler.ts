// What Stripe does on its own as time passes: subscriptions renew, trials end, failed invoices are
// retried, scheduled cancellations happen, Checkout Sessions expire. The emulator does it whenever an
// account's clock may have moved (before each request and hosted page, after POST /_emulator/clock):
// every piece of due work in time order, with the account's clock standing at the instant it was due,
// so a jump of 40 days renews, retries and cancels boundary by boundary, and what each step creates
// (invoices, charges, events) carries that step's time.
import { reachPeriodEnd, sendTrialNotice, trialNoticeDue } from "./billing/cycle.ts";
import { collect, retryDue } from "./billing/invoicing.ts";
import type { Emulator } from "./emulator.ts";
import { expireDueSessions } from "./resources/checkout-sessions.ts";
import { currentPeriod } from "./resources/subscriptions.ts";
import type { Account } from "./store.ts";

type Due = { at: number; run: () => void };

function billingWork(emu: Emulator, account: Account): Due[] {
  const work: Due[] = [];
  for (const sub of emu.store.all(account, "subscription")) {
    if (sub.status === "canceled") continue;
    const notice = trialNoticeDue(account, sub);
    if (notice !== null) work.push({ at: notice, run: () => sendTrialNotice(emu, account, sub) });
    work.push({ at: currentPeriod(sub).end, run: () => reachPeriodEnd(emu, account, sub) });
  }
  for (const invoice of emu.store.all(account, "invoice")) {
    const at = retryDue(invoice);
    if (at !== null) work.push({ at, run: () => collect(emu, account, invoice, {}) });
  }
  return work;
}

/** A bound on the steps of one catch-up, so a bug cannot spin forever. */
const MAX_STEPS = 100_000;

/** Runs the billing work due by the account's current time, earliest first; returns how many steps ran. */
function advanceBilling(emu: Emulator, account: Account): number {
  for (let steps = 0; ; steps++) {
    const now = account.clock.now();
    const next = billingWork(emu, account)
      .filter((w) => w.at <= now)
      .sort((a, b) => a.at - b.at)[0];
    if (!next) return steps;
    if (steps >= MAX_STEPS) throw new Error(`billing work for account ${account.key.slice(0, 12)}… did not settle`);
    account.clock.at(next.at, next.run);
  }
}

/** Does everything due for the account by now, and saves if anything happened. */
export function catchUp(emu: Emulator, account: Account): void {
  const steps = advanceBilling(emu, account) + expireDueSessions(emu, account);
  if (steps > 0) emu.save();
}
