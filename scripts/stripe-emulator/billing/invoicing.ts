// Subscription invoices with automatic collection, as Stripe runs them: a draft with its lines, then
// finalization (number, hosted page and PDF, customer credit balance) and payment with the customer's default
// payment method through a payment intent (payments.ts). Stripe waits about an hour between the draft
// and finalization; the emulator finalizes and charges at once.
//
// "Smart retries", simplified: after a failed payment Stripe retries 3, 5 and 7 days after the invoice
// was finalized (next_payment_attempt says when), then stops and leaves the invoice open and the
// subscription past_due (the "leave the subscription past due" setting: the app decides what happens).
// A paid invoice brings a past_due subscription back to active.
import type { Emulator } from "../emulator.ts";
import { cardError, invalidRequest, type ApiError } from "../errors.ts";
import { attemptPayment } from "../payments.ts";
import { applyChanges } from "../resources/common.ts";
import { NO_REQUEST, type EventRequest } from "../resources/events.ts";
import {
  buildInvoice,
  buildInvoiceLine,
  buildInvoicePayment,
  setLines,
  subscriptionOf,
  type BillingReason,
  type Invoice,
  type LineDraft,
} from "../resources/invoices.ts";
import { buildPaymentIntent, type PaymentIntent } from "../resources/payment-intents.ts";
import { cardOf, chargeDeclineOf, defaultPaymentMethodOf, type PaymentMethod } from "../resources/payment-methods.ts";
import type { Subscription } from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";
import { DAY } from "./periods.ts";

export const RETRY_DAYS = [3, 5, 7];

/** The payment intent's description, as Stripe writes it for subscription invoices. */
const INTENT_DESCRIPTION: Record<BillingReason, string> = {
  subscription_create: "Subscription creation",
  subscription_cycle: "Subscription update",
  subscription_update: "Subscription update",
};

/**
 * A draft invoice for the subscription (stored, no event yet: the caller emits the subscription's own
 * event first, as Stripe orders them, then calls issueInvoice).
 */
export function draftInvoice(
  emu: Emulator,
  account: Account,
  sub: Subscription,
  f: { billingReason: BillingReason; lines: LineDraft[]; periodStart: number; periodEnd: number },
): Invoice {
  const customer = emu.store.find(account, "customer", sub.customer, "customer");
  const invoice = buildInvoice(account.clock.now(), { customer, subscription: sub, ...f });
  setLines(
    invoice,
    f.lines.map((line) => buildInvoiceLine(invoice, sub, line)),
  );
  return emu.store.insert(account, invoice);
}

/** invoice.created, finalization (invoice.finalized) and the first payment attempt; the error if it failed. */
export function issueInvoice(emu: Emulator, account: Account, invoice: Invoice, request: EventRequest = NO_REQUEST): ApiError | null {
  emu.emit(account, "invoice.created", invoice, { request });
  finalize(emu, account, invoice, request);
  emu.emit(account, "invoice.finalized", invoice, { request });
  return collect(emu, account, invoice, { request });
}

/** Numbers the invoice and applies the customer's balance (a credit from an earlier downgrade, say). */
function finalize(emu: Emulator, account: Account, invoice: Invoice, request: EventRequest): void {
  const now = account.clock.now();
  const customer = emu.store.find(account, "customer", invoice.customer, "customer");
  const startingBalance = customer.balance;
  const due = invoice.total + startingBalance;
  const number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence).padStart(4, "0")}`;
  customer.next_invoice_sequence += 1;
  const previous = applyChanges(customer, { balance: Math.min(0, due) });
  if (Object.keys(previous).length > 0) emu.emit(account, "customer.updated", customer, { previous, request });
  applyChanges(invoice, {
    status: "open",
    number,
    hosted_invoice_url: `${emu.publicUrl}/i/${invoice.id}`,
    invoice_pdf: `${emu.publicUrl}/i/${invoice.id}/pdf`,
    starting_balance: startingBalance,
    ending_balance: Math.min(0, due),
    amount_due: Math.max(0, due),
    amount_remaining: Math.max(0, due),
    effective_at: now,
    next_payment_attempt: due > 0 ? now : null,
    status_transitions: { ...invoice.status_transitions, finalized_at: now },
  });
}

/** When the next automatic retry of a failed invoice is due, or null after the last one. */
function nextRetry(invoice: Invoice, now: number): number | null {
  const finalizedAt = invoice.status_transitions.finalized_at ?? invoice.created;
  return RETRY_DAYS.map((days) => finalizedAt + days * DAY).find((at) => at > now) ?? null;
}

/** The invoice's open payment intent (reused across retries, as Stripe does), or a new one. */
function intentFor(emu: Emulator, account: Account, invoice: Invoice, request: EventRequest): PaymentIntent {
  const open = emu.store.all(account, "invoice_payment").find((p) => p.invoice === invoice.id && p.status === "open");
  const existing = open && emu.store.get(account, "payment_intent", open.payment.payment_intent);
  if (existing) return existing;
  const now = account.clock.now();
  const intent = emu.store.insert(
    account,
    buildPaymentIntent(now, {
      description: INTENT_DESCRIPTION[invoice.billing_reason ?? "subscription_update"],
      metadata: {},
      receiptEmail: null,
      statementDescriptor: null,
      statementDescriptorSuffix: null,
      setupFutureUsage: null,
      amount: invoice.amount_remaining,
      currency: invoice.currency,
      customer: invoice.customer,
      paymentMethodTypes: ["card"],
    }),
  );
  emu.emit(account, "payment_intent.created", intent, { request });
  emu.store.insert(account, buildInvoicePayment(now, { invoice, paymentIntent: intent.id, amount: intent.amount }));
  return intent;
}

const NO_PAYMENT_METHOD: ApiError = {
  type: "invalid_request_error",
  message: "This customer has no attached payment source or default payment method. Please consider adding a default payment method.",
};

/**
 * One payment attempt for an open invoice with `paymentMethod` or the customer's default one; returns
 * the error when it fails (the invoice then records the attempt and its next retry).
 */
export function collect(
  emu: Emulator,
  account: Account,
  invoice: Invoice,
  opts: { request?: EventRequest; paymentMethod?: PaymentMethod },
): ApiError | null {
  const request = opts.request ?? NO_REQUEST;
  if (invoice.amount_remaining === 0) {
    markPaid(emu, account, invoice, request);
    return null;
  }
  const customer = emu.store.find(account, "customer", invoice.customer, "customer");
  const pm = opts.paymentMethod ?? defaultPaymentMethodOf(account, emu, customer);
  let error = NO_PAYMENT_METHOD;
  if (pm) {
    const intent = intentFor(emu, account, invoice, request);
    const declineCode = chargeDeclineOf(account, pm);
    attemptPayment(emu, account, intent, {
      outcome: declineCode ? "declined" : "succeeded",
      card: cardOf(pm),
      declineCode,
      paymentMethod: pm.id,
      email: customer.email,
      name: pm.billing_details.name ?? customer.name,
      request,
    });
    if (!intent.last_payment_error) {
      markPaid(emu, account, invoice, request);
      return null;
    }
    error = { ...intent.last_payment_error, payment_intent: structuredClone(intent) };
  }
  const now = account.clock.now();
  applyChanges(invoice, { attempted: true, attempt_count: invoice.attempt_count + 1, next_payment_attempt: nextRetry(invoice, now) });
  emu.emit(account, "invoice.payment_failed", invoice, { request });
  syncSubscription(emu, account, invoice, request);
  return error;
}

function markPaid(emu: Emulator, account: Account, invoice: Invoice, request: EventRequest): void {
  const now = account.clock.now();
  const charged = invoice.amount_remaining > 0;
  applyChanges(invoice, {
    status: "paid",
    amount_paid: invoice.amount_paid + invoice.amount_remaining,
    amount_remaining: 0,
    attempted: true,
    attempt_count: invoice.attempt_count + (charged ? 1 : 0),
    next_payment_attempt: null,
    auto_advance: false,
    status_transitions: { ...invoice.status_transitions, paid_at: now },
  });
  for (const payment of emu.store.all(account, "invoice_payment").filter((p) => p.invoice === invoice.id && p.status === "open"))
    applyChanges(payment, {
      status: "paid",
      amount_paid: payment.amount_requested,
      status_transitions: { ...payment.status_transitions, paid_at: now },
    });
  emu.emit(account, "invoice.paid", invoice, { request });
  emu.emit(account, "invoice.payment_succeeded", invoice, { request });
  syncSubscription(emu, account, invoice, request);
}

/**
 * The subscription after a payment outcome: a failure makes an active one past_due; a payment brings a
 * past_due one back to active once none of its invoices is left unpaid after an attempt.
 */
function syncSubscription(emu: Emulator, account: Account, invoice: Invoice, request: EventRequest): void {
  const id = subscriptionOf(invoice);
  const sub = id ? emu.store.get(account, "subscription", id) : undefined;
  if (!sub || sub.status === "canceled") return;
  const unpaid = emu.store.all(account, "invoice").some((i) => subscriptionOf(i) === sub.id && i.status === "open" && i.attempted);
  const status = unpaid
    ? sub.status === "active" || sub.status === "trialing"
      ? "past_due"
      : sub.status
    : sub.status === "past_due"
      ? "active"
      : sub.status;
  const previous = applyChanges(sub, { status });
  if (Object.keys(previous).length > 0) emu.emit(account, "customer.subscription.updated", sub, { previous, request });
}

/** invoices.pay and the portal: one attempt now; a decline answers 402 card_error as Stripe does. */
export function payInvoice(
  emu: Emulator,
  account: Account,
  invoice: Invoice,
  opts: { request: EventRequest; paymentMethod?: PaymentMethod },
): Invoice {
  if (invoice.status === "paid") throw invalidRequest("Invoice is already paid.");
  if (invoice.status !== "open") throw invalidRequest(`You can only pay an open invoice; this invoice is ${invoice.status}.`);
  const error = collect(emu, account, invoice, opts);
  if (error) throw error.type === "card_error" ? cardError(error) : invalidRequest(error.message);
  return invoice;
}

/** Open invoices of a subscription that ended: no more automatic retries. */
export function stopCollecting(emu: Emulator, account: Account, sub: Subscription): void {
  for (const invoice of emu.store.all(account, "invoice"))
    if (subscriptionOf(invoice) === sub.id && invoice.status === "open")
      applyChanges(invoice, { auto_advance: false, next_payment_attempt: null });
}

/** An automatic retry is due at `next_payment_attempt` for open invoices still collected automatically. */
export function retryDue(invoice: Invoice): number | null {
  return invoice.status === "open" && invoice.auto_advance ? invoice.next_payment_attempt : null;
}
