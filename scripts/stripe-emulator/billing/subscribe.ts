// A subscription-mode Checkout Session being paid: the card becomes the customer's default payment
// method, the subscription starts (trialing, or active) and its first invoice — a trial's $0 invoice,
// a prorated one up to a future billing cycle anchor, or a full period — is issued and paid, in
// Stripe's event order: customer.subscription.created, invoice.created, invoice.finalized, the
// payment's events, invoice.paid, invoice.payment_succeeded. flows.ts then completes the session.
import type { Emulator } from "../emulator.ts";
import { lineItemsOf, type CheckoutSession } from "../resources/checkout-sessions.ts";
import type { Customer } from "../resources/customers.ts";
import { NO_REQUEST } from "../resources/events.ts";
import type { Invoice } from "../resources/invoices.ts";
import { saveCard, setDefaultPaymentMethod, type DeclineCode, type TestCard } from "../resources/payment-methods.ts";
import { buildSubscription, extrasOf, type Subscription } from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";
import { DEFAULT_SUBSCRIPTION_DATA, firstInvoicePlan, type FirstInvoicePlan } from "./checkout-terms.ts";
import { draftInvoice, issueInvoice } from "./invoicing.ts";
import { billedOf, periodLine, productName, remainingTimeLine, trialLine } from "./lines.ts";

const termsOf = (account: Account, session: CheckoutSession) =>
  account.checkout.get(session.id)?.subscriptionData ?? DEFAULT_SUBSCRIPTION_DATA;

function firstInvoiceOf(account: Account, session: CheckoutSession): FirstInvoicePlan {
  return firstInvoicePlan(lineItemsOf(account, session.id), termsOf(account, session), account.clock.now());
}

/** Why this card cannot start the subscription: it declines outright, or (Stripe's …0341) something is due now. */
export function subscriptionDecline(account: Account, session: CheckoutSession, card: TestCard): DeclineCode | undefined {
  if (!card.declineCode) return undefined;
  if (card.attachesButChargesFail && firstInvoiceOf(account, session).total === 0) return undefined;
  return card.declineCode;
}

/** Starts the session's subscription for `customer` with `card` (checked with subscriptionDecline first). */
export function startSubscription(
  emu: Emulator,
  account: Account,
  session: CheckoutSession,
  customer: Customer,
  card: TestCard,
  cardholder: string | null,
): { subscription: Subscription; invoice: Invoice } {
  const scope = { emu, account, request: NO_REQUEST };
  setDefaultPaymentMethod(scope, customer, saveCard(scope, card, { customer, email: customer.email, name: cardholder, setUp: true }));

  const terms = termsOf(account, session);
  const plan = firstInvoiceOf(account, session);
  const now = account.clock.now();
  const items = lineItemsOf(account, session.id).map((item) => ({ price: item.price!, quantity: item.quantity ?? 1 }));
  const sub = emu.store.insert(
    account,
    buildSubscription(now, {
      customer: customer.id,
      currency: session.currency ?? "usd",
      items,
      period: plan.period,
      metadata: terms.metadata,
      description: terms.description,
    }),
  );
  extrasOf(account, sub.id);

  const period = { start: plan.period.start, end: plan.period.end };
  const lines = sub.items.data.map((item, i) => {
    const name = productName(emu, account, item.price);
    if (plan.period.trialEnd !== null) return trialLine(name, billedOf(item), period);
    if (plan.period.prorated) return remainingTimeLine(name, billedOf(item), period, plan.amounts[i]!);
    return periodLine(name, billedOf(item), period);
  });
  const invoice = draftInvoice(emu, account, sub, { billingReason: "subscription_create", lines, periodStart: now, periodEnd: now });
  sub.latest_invoice = invoice.id;
  emu.emit(account, "customer.subscription.created", sub);
  issueInvoice(emu, account, invoice);
  return { subscription: sub, invoice };
}
