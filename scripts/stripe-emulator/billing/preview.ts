// The next invoice of a subscription, as POST /v1/invoices/create_preview answers: the invoice the
// renewal at the end of the current period would create (cycle.ts), with the pending prorations and the
// next period's lines, the customer's balance applied, and nothing stored. Like Stripe's preview it is
// a draft with an `upcoming_in_…` id that cannot be retrieved, paid or listed. A subscription with
// nothing more to bill (canceled, or set to end by the end of this period) has no upcoming invoice.
//
// With `subscription_details` it previews a proposed change on a copy of the subscription (the
// subscription itself is untouched), with the proration lines subscriptions.update would create
// (billing/changes.ts) from `proration_date`, which the preview names under
// parent.subscription_details.subscription_proration_date, as Stripe does:
// - same interval: the renewal invoice, with the change's prorations (none with proration_behavior
//   `none`) as subscription item lines before the next period at the new price. What the change charges
//   now, as Stripe recommends reading it, is the sum of the lines whose
//   parent.subscription_item_details.proration is true and period.start is the proration_date: what an
//   `always_invoice` update with the same proration_date bills (plus any earlier pending prorations).
// - a new interval (month ↔ year): the change restarts the cycle and is billed at once, so the preview
//   is that invoice (billing_reason subscription_update, created now): the credit for the unused time
//   and the new interval in full; its amount_due is what is charged now.
// - trialing: no prorations (nothing is billed in a trial); the renewal at the trial's end at the new price.
import type { Ctx, Emulator } from "../emulator.ts";
import { invalidRequest } from "../errors.ts";
import type { Params } from "../params.ts";
import { buildInvoice, buildInvoiceLine, setLines, type Invoice, type LineDraft } from "../resources/invoices.ts";
import { currentPeriod, cycleOf, extrasOf, type Subscription } from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";
import {
  itemChangesFrom,
  proposeItemChanges,
  prorationBehaviorFrom,
  prorationDateFrom,
  type ItemChange,
  type ProrationBehavior,
} from "./changes.ts";
import { billedOf, periodLine, productName } from "./lines.ts";
import { boundaryAfter } from "./periods.ts";

/** 404 invoice_upcoming_none, as Stripe answers a preview with nothing left to bill. */
export function noUpcomingInvoice(customer: string) {
  return invalidRequest(`No upcoming invoices for customer: ${customer}`, { code: "invoice_upcoming_none", status: 404 });
}

/** A change to preview (create_preview's subscription_details). */
export type ProposedChange = {
  items: ItemChange[];
  prorationBehavior: ProrationBehavior;
  prorationDate?: number;
  cancelAtPeriodEnd?: boolean;
};

/** Reads create_preview's `subscription_details` for an existing subscription. */
export function parseProposedChange(ctx: Ctx, sub: Subscription, p: Params): ProposedChange {
  p.allowOnly(["items", "proration_behavior", "proration_date", "cancel_at_period_end"]);
  return {
    items: itemChangesFrom(ctx, sub, p),
    prorationBehavior: prorationBehaviorFrom(p),
    prorationDate: prorationDateFrom(p, sub),
    cancelAtPeriodEnd: p.bool("cancel_at_period_end"),
  };
}

export function previewInvoice(emu: Emulator, account: Account, subscription: Subscription, change?: ProposedChange): Invoice {
  if (change?.cancelAtPeriodEnd === true) throw noUpcomingInvoice(subscription.customer);
  const sub = structuredClone(subscription);
  // cancel_at_period_end=false previews the renewal of a subscription set to end.
  if (change?.cancelAtPeriodEnd === false && sub.cancel_at_period_end) Object.assign(sub, { cancel_at_period_end: false, cancel_at: null });
  const old = currentPeriod(sub);
  const ended = sub.status === "canceled" || sub.status === "incomplete_expired";
  if (ended || (sub.cancel_at !== null && sub.cancel_at <= old.end)) throw noUpcomingInvoice(sub.customer);
  const pending = extrasOf(account, sub.id).pendingLines;
  if (!change) return renewalPreview(emu, account, sub, pending);

  const at = change.prorationDate ?? account.clock.now();
  const proposed = proposeItemChanges(emu, account, sub, change.items, { behavior: change.prorationBehavior, at });
  sub.items.data = proposed.items;
  const now = account.clock.now();
  const invoice = proposed.newCycle
    ? finish(emu, account, sub, {
        created: now,
        billingReason: "subscription_update",
        period: { start: now, end: now },
        lines: [...pending, ...proposed.lines],
      })
    : renewalPreview(emu, account, sub, [...pending, ...proposed.lines]);
  Object.assign(invoice.parent.subscription_details, { subscription_proration_date: at });
  return invoice;
}

/** The invoice the renewal at the end of the current period creates, for the period that ends then. */
function renewalPreview(emu: Emulator, account: Account, sub: Subscription, before: LineDraft[]): Invoice {
  const old = currentPeriod(sub);
  const period = { start: old.end, end: boundaryAfter(sub.billing_cycle_anchor, cycleOf(sub), old.end) };
  const lines = [...before, ...sub.items.data.map((item) => periodLine(productName(emu, account, item.price), billedOf(item), period))];
  return finish(emu, account, sub, { created: old.end, billingReason: "subscription_cycle", period: old, lines });
}

function finish(
  emu: Emulator,
  account: Account,
  sub: Subscription,
  f: {
    created: number;
    billingReason: "subscription_cycle" | "subscription_update";
    period: { start: number; end: number };
    lines: LineDraft[];
  },
): Invoice {
  const customer = emu.store.find(account, "customer", sub.customer, "customer");
  const invoice = buildInvoice(f.created, {
    customer,
    subscription: sub,
    billingReason: f.billingReason,
    periodStart: f.period.start,
    periodEnd: f.period.end,
  });
  invoice.id = `upcoming_${invoice.id}`;
  setLines(
    invoice,
    f.lines.map((line) => buildInvoiceLine(invoice, sub, line)),
  );
  const due = invoice.total + customer.balance;
  Object.assign(invoice, {
    starting_balance: customer.balance,
    amount_due: Math.max(0, due),
    amount_remaining: Math.max(0, due),
    next_payment_attempt: due > 0 ? f.created : null,
  });
  return invoice;
}
