// What happens to a subscription as its account's time passes (scheduler.ts runs these at the instant
// they are due): customer.subscription.trial_will_end three days before a trial ends, and at each period
// end either the scheduled cancellation (customer.subscription.deleted, no invoice) or the renewal — the
// next period (a trial's end included: trialing → active), customer.subscription.updated, and the
// period's invoice with any pending prorations, charged at once.
import type { Emulator } from "../emulator.ts";
import { applyChanges } from "../resources/common.ts";
import { currentPeriod, cycleOf, extrasOf, itemsWith, type Subscription } from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";
import { endSubscription } from "./changes.ts";
import { draftInvoice, issueInvoice } from "./invoicing.ts";
import { billedOf, periodLine, productName } from "./lines.ts";
import { boundaryAfter, DAY } from "./periods.ts";

const TRIAL_WILL_END_NOTICE = 3 * DAY;

/** When customer.subscription.trial_will_end is due, if it still is. */
export function trialNoticeDue(account: Account, sub: Subscription): number | null {
  if (sub.status !== "trialing" || sub.trial_end === null || extrasOf(account, sub.id).trialWillEndSent) return null;
  return Math.max(sub.start_date, sub.trial_end - TRIAL_WILL_END_NOTICE);
}

export function sendTrialNotice(emu: Emulator, account: Account, sub: Subscription): void {
  extrasOf(account, sub.id).trialWillEndSent = true;
  emu.emit(account, "customer.subscription.trial_will_end", sub);
}

/** The end of the current period: cancel if scheduled, else renew. */
export function reachPeriodEnd(emu: Emulator, account: Account, sub: Subscription): void {
  const { end } = currentPeriod(sub);
  if (sub.cancel_at !== null && sub.cancel_at <= end)
    endSubscription(emu, account, sub, { endedAt: sub.cancel_at, canceledAt: sub.canceled_at ?? end });
  else renew(emu, account, sub);
}

function renew(emu: Emulator, account: Account, sub: Subscription): void {
  const old = currentPeriod(sub);
  const period = { start: old.end, end: boundaryAfter(sub.billing_cycle_anchor, cycleOf(sub), old.end) };
  const extras = extrasOf(account, sub.id);
  const lines = [
    ...extras.pendingLines,
    ...sub.items.data.map((item) => periodLine(productName(emu, account, item.price), billedOf(item), period)),
  ];
  extras.pendingLines = [];
  // As at Stripe, a renewal invoice's period_start/period_end are the period that just ended (the one
  // its pending items belong to); its subscription lines carry the new period.
  const invoice = draftInvoice(emu, account, sub, {
    billingReason: "subscription_cycle",
    lines,
    periodStart: old.start,
    periodEnd: old.end,
  });
  const previous = applyChanges(sub, {
    items: itemsWith(sub, () => ({ current_period_start: period.start, current_period_end: period.end })),
    latest_invoice: invoice.id,
    status: sub.status === "trialing" ? "active" : sub.status,
  });
  emu.emit(account, "customer.subscription.updated", sub, { previous });
  issueInvoice(emu, account, invoice);
}
