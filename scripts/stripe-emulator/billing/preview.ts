// The next invoice of a subscription, as POST /v1/invoices/create_preview answers: the invoice the
// renewal at the end of the current period would create (cycle.ts), with the pending prorations and the
// next period's lines, the customer's balance applied, and nothing stored. Like Stripe's preview it is
// a draft with an `upcoming_in_…` id that cannot be retrieved, paid or listed. A subscription with
// nothing more to bill (canceled, or set to end by the end of this period) has no upcoming invoice.
import type { Emulator } from "../emulator.ts";
import { invalidRequest } from "../errors.ts";
import { buildInvoice, buildInvoiceLine, setLines, type Invoice } from "../resources/invoices.ts";
import { currentPeriod, cycleOf, extrasOf, type Subscription } from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";
import { billedOf, periodLine, productName } from "./lines.ts";
import { boundaryAfter } from "./periods.ts";

/** 404 invoice_upcoming_none, as Stripe answers a preview with nothing left to bill. */
export function noUpcomingInvoice(customer: string) {
  return invalidRequest(`No upcoming invoices for customer: ${customer}`, { code: "invoice_upcoming_none", status: 404 });
}

export function previewInvoice(emu: Emulator, account: Account, sub: Subscription): Invoice {
  const old = currentPeriod(sub);
  const ended = sub.status === "canceled" || sub.status === "incomplete_expired";
  if (ended || (sub.cancel_at !== null && sub.cancel_at <= old.end)) throw noUpcomingInvoice(sub.customer);
  const customer = emu.store.find(account, "customer", sub.customer, "customer");
  const period = { start: old.end, end: boundaryAfter(sub.billing_cycle_anchor, cycleOf(sub), old.end) };
  const drafts = [...extrasOf(account, sub.id).pendingLines, ...sub.items.data.map((item) => periodLine(productName(emu, account, item.price), billedOf(item), period))];
  // Created when the current period ends, for the period that ends then (as a renewal invoice is).
  const invoice = buildInvoice(old.end, { customer, subscription: sub, billingReason: "subscription_cycle", periodStart: old.start, periodEnd: old.end });
  invoice.id = `upcoming_${invoice.id}`;
  setLines(
    invoice,
    drafts.map((line) => buildInvoiceLine(invoice, sub, line)),
  );
  const due = invoice.total + customer.balance;
  Object.assign(invoice, {
    starting_balance: customer.balance,
    amount_due: Math.max(0, due),
    amount_remaining: Math.max(0, due),
    next_payment_attempt: due > 0 ? old.end : null,
  });
  return invoice;
}
