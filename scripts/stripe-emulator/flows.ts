// Payments: one attempt on a payment intent (card success, card decline, or a bank transfer that
// settles later), what paying a Checkout Session does around it (hosted page and control endpoint),
// and the later settlement of a bank transfer.
import type { Emulator } from "./emulator.ts";
import { apiError, invalidRequest } from "./errors.ts";
import { newId } from "./ids.ts";
import { bankAccountDetails, buildCharge, cardDetails, OUTCOMES, type BillingDetails, type CardDetails, type Charge } from "./resources/charges.ts";
import type { CheckoutSession } from "./resources/checkout-sessions.ts";
import { applyChanges } from "./resources/common.ts";
import { createCustomer, type Customer } from "./resources/customers.ts";
import type { EventRequest } from "./resources/events.ts";
import { buildPaymentIntent, type PaymentIntent } from "./resources/payment-intents.ts";
import type { Account } from "./store.ts";

export type PayOutcome = "succeeded" | "declined" | "async";

export const TEST_CARD: CardDetails = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 };

export const DECLINES = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
} as const;
export type DeclineCode = keyof typeof DECLINES;

/** Stripe's test cards that decline: 4000 0000 0000 0002 (generic) and …9995 (insufficient funds). */
export function declineCodeOf(cardNumber: string): DeclineCode | undefined {
  const digits = cardNumber.replace(/\D/g, "");
  if (digits === "4000000000000002") return "generic_decline";
  if (digits === "4000000000009995") return "insufficient_funds";
  return undefined;
}

/** Stripe's test payment method ids, for payment intents confirmed through the API. */
export const TEST_PAYMENT_METHODS: Record<string, { card: CardDetails; declineCode?: DeclineCode }> = {
  pm_card_visa: { card: TEST_CARD },
  pm_card_mastercard: { card: { brand: "mastercard", last4: "4444", exp_month: 12, exp_year: 2034 } },
  pm_card_chargeDeclined: { card: { ...TEST_CARD, last4: "0002" }, declineCode: "generic_decline" },
  pm_card_chargeDeclinedInsufficientFunds: { card: { ...TEST_CARD, last4: "9995" }, declineCode: "insufficient_funds" },
};

export type Attempt = {
  outcome: PayOutcome;
  card?: CardDetails;
  declineCode?: DeclineCode;
  email: string | null;
  name: string | null;
  request?: EventRequest;
};

const NO_REQUEST: EventRequest = { id: null, idempotency_key: null };

function billingDetails(email: string | null, name: string | null): BillingDetails {
  return {
    address: { city: null, country: "US", line1: null, line2: null, postal_code: "42424", state: null },
    email,
    name,
    phone: null,
    tax_id: null,
  };
}

/**
 * One payment attempt on `intent`: a charge (succeeded, pending for a bank transfer, or failed for a
 * decline), the intent's new state, and their events.
 */
export function attemptPayment(emu: Emulator, account: Account, intent: PaymentIntent, attempt: Attempt): Charge {
  const request = attempt.request ?? NO_REQUEST;
  const card = attempt.card ?? TEST_CARD;
  const paymentMethod = newId("payment_method");
  const bank = attempt.outcome === "async";
  const declined = attempt.outcome === "declined";
  const charge = emu.store.insert(
    account,
    buildCharge(emu.clock.now(), intent, {
      status: declined ? "failed" : bank ? "pending" : "succeeded",
      paymentMethod,
      billingDetails: billingDetails(attempt.email, attempt.name),
      details: bank ? bankAccountDetails() : cardDetails(card),
      outcome: declined ? { ...OUTCOMES.declined, reason: attempt.declineCode ?? "generic_decline" } : bank ? OUTCOMES.pending : OUTCOMES.authorized,
    }),
  );
  if (declined) {
    const code = attempt.declineCode ?? "generic_decline";
    applyChanges(charge, { failure_code: "card_declined", failure_message: DECLINES[code] });
    const error = apiError({ type: "card_error", code: "card_declined", decline_code: code, message: DECLINES[code], charge: charge.id, payment_method_type: "card" });
    applyChanges(intent, { status: "requires_payment_method", last_payment_error: error, latest_charge: charge.id, payment_method: null });
    emu.emit(account, "charge.failed", charge, { request });
    emu.emit(account, "payment_intent.payment_failed", intent, { request });
    return charge;
  }
  applyChanges(intent, {
    status: bank ? "processing" : "succeeded",
    amount_received: bank ? 0 : intent.amount,
    latest_charge: charge.id,
    payment_method: paymentMethod,
    last_payment_error: null,
  });
  emu.emit(account, bank ? "charge.pending" : "charge.succeeded", charge, { request });
  emu.emit(account, bank ? "payment_intent.processing" : "payment_intent.succeeded", intent, { request });
  return charge;
}

// ---- Checkout --------------------------------------------------------------------------------

export function sessionUnavailable(session: CheckoutSession): boolean {
  return session.status !== "open";
}

/** The session's payment intent: the one from an earlier (declined) attempt, or a new one. */
function intentFor(emu: Emulator, account: Account, session: CheckoutSession): PaymentIntent {
  const existing = session.payment_intent ? emu.store.get(account, "payment_intent", session.payment_intent) : undefined;
  if (existing) return existing;
  const data = account.checkout.get(session.id)!.paymentIntentData;
  const intent = emu.store.insert(
    account,
    buildPaymentIntent(emu.clock.now(), {
      ...data,
      amount: session.amount_total ?? 0,
      currency: session.currency ?? "usd",
      customer: session.customer,
      paymentMethodTypes: session.payment_method_types,
    }),
  );
  session.payment_intent = intent.id;
  emu.emit(account, "payment_intent.created", intent, { request: NO_REQUEST });
  return intent;
}

/** The session's customer, or a new one from the email and name given at checkout. */
function customerFor(emu: Emulator, account: Account, session: CheckoutSession, email: string | null, name: string | null): Customer {
  const existing = session.customer ? emu.store.get(account, "customer", session.customer) : undefined;
  return existing ?? createCustomer({ emu, account, request: NO_REQUEST }, { email, name });
}

export type PayInput = { outcome: PayOutcome; email?: string; name?: string; card?: CardDetails; declineCode?: DeclineCode };

/**
 * What the hosted page's buttons do. A decline leaves the session open (its payment intent records
 * the failure); a card payment completes it paid; a bank transfer completes it unpaid until settled.
 */
export function payCheckoutSession(emu: Emulator, account: Account, session: CheckoutSession, input: PayInput): CheckoutSession {
  if (sessionUnavailable(session)) throw invalidRequest(`This Checkout Session is no longer available (status: ${session.status}).`);
  if (session.mode !== "payment")
    throw invalidRequest(`The Stripe emulator completes \`payment\` mode Checkout Sessions only (this one is \`${session.mode}\`).`);
  const known = session.customer ? emu.store.get(account, "customer", session.customer) : undefined;
  const email = input.email ?? session.customer_email ?? known?.email ?? null;
  const name = input.name ?? known?.name ?? null;
  const intent = intentFor(emu, account, session);
  const attempt: Attempt = { outcome: input.outcome, card: input.card, declineCode: input.declineCode, email, name };
  if (input.outcome === "declined") {
    attemptPayment(emu, account, intent, attempt);
    return session;
  }
  const customer = customerFor(emu, account, session, email, name);
  intent.customer = customer.id;
  const charge = attemptPayment(emu, account, intent, { ...attempt, email: email ?? customer.email, name: name ?? customer.name });
  applyChanges(session, {
    status: "complete",
    payment_status: input.outcome === "async" ? "unpaid" : "paid",
    customer: customer.id,
    customer_details: { address: charge.billing_details.address, email: charge.billing_details.email, name: charge.billing_details.name, phone: null, tax_exempt: "none", tax_ids: [] },
    url: null,
  });
  emu.emit(account, "checkout.session.completed", session, { request: NO_REQUEST });
  return session;
}

/** A bank transfer settles: the charge and intent succeed or fail, and the Checkout Session says so. */
export function settlePayment(emu: Emulator, account: Account, intent: PaymentIntent, outcome: "succeeded" | "failed"): PaymentIntent {
  const charge = intent.latest_charge ? emu.store.get(account, "charge", intent.latest_charge) : undefined;
  if (intent.status !== "processing" || !charge)
    throw invalidRequest(`PaymentIntent ${intent.id} has a status of ${intent.status}; only processing payments (bank transfers) can be settled.`);
  const session = emu.store.all(account, "checkout.session").find((s) => s.payment_intent === intent.id);
  if (outcome === "succeeded") {
    const previous = applyChanges(charge, { status: "succeeded", paid: true, amount_captured: charge.amount, outcome: OUTCOMES.authorized });
    applyChanges(intent, { status: "succeeded", amount_received: intent.amount });
    emu.emit(account, "charge.succeeded", charge, { previous, request: NO_REQUEST });
    emu.emit(account, "payment_intent.succeeded", intent, { request: NO_REQUEST });
    if (session) {
      const before = applyChanges(session, { payment_status: "paid" });
      emu.emit(account, "checkout.session.async_payment_succeeded", session, { previous: before, request: NO_REQUEST });
    }
  } else {
    const message = "The customer's bank account has insufficient funds to cover this payment.";
    const previous = applyChanges(charge, {
      status: "failed",
      failure_code: "insufficient_funds",
      failure_message: message,
      outcome: { ...OUTCOMES.declined, reason: "insufficient_funds" },
    });
    const error = apiError({ type: "invalid_request_error", code: "insufficient_funds", message, charge: charge.id, payment_method_type: "us_bank_account" });
    applyChanges(intent, { status: "requires_payment_method", last_payment_error: error, payment_method: null });
    emu.emit(account, "charge.failed", charge, { previous, request: NO_REQUEST });
    emu.emit(account, "payment_intent.payment_failed", intent, { request: NO_REQUEST });
    if (session) emu.emit(account, "checkout.session.async_payment_failed", session, { request: NO_REQUEST });
  }
  return intent;
}
