// Checkout: what paying a session does, from the hosted page or the control endpoint — a one-time
// payment (a card, a decline, or a bank transfer that settles later), a subscription
// (billing/subscribe.ts) or, in setup mode, a card saved for later off-session payments — and the later
// settlement of a bank transfer.
import { startSubscription, subscriptionDecline } from "./billing/subscribe.ts";
import type { Emulator } from "./emulator.ts";
import { apiError, invalidRequest } from "./errors.ts";
import { attemptPayment, type PayOutcome } from "./payments.ts";
import { billingDetails, OUTCOMES, type BillingDetails } from "./resources/charges.ts";
import type { CheckoutSession } from "./resources/checkout-sessions.ts";
import { applyChanges } from "./resources/common.ts";
import { createCustomer, type Customer } from "./resources/customers.ts";
import { NO_REQUEST } from "./resources/events.ts";
import { buildPaymentIntent, type PaymentIntent } from "./resources/payment-intents.ts";
import { saveCard, setupDeclineOf, TEST_PAYMENT_METHODS, type DeclineCode, type TestCard } from "./resources/payment-methods.ts";
import { buildSetupIntent, failSetup, succeedSetup, type SetupIntent } from "./resources/setup-intents.ts";
import type { Account } from "./store.ts";

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
    buildPaymentIntent(account.clock.now(), {
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

/** The setup-mode session's setup intent: the one from an earlier (declined) attempt, or a new one. */
function setupIntentFor(emu: Emulator, account: Account, session: CheckoutSession): SetupIntent {
  const existing = session.setup_intent ? emu.store.get(account, "setup_intent", session.setup_intent) : undefined;
  if (existing) return existing;
  const data = account.checkout.get(session.id)?.setupIntentData ?? { description: null, metadata: {} };
  const intent = emu.store.insert(
    account,
    buildSetupIntent(account.clock.now(), { ...data, customer: session.customer, paymentMethodTypes: session.payment_method_types }),
  );
  session.setup_intent = intent.id;
  emu.emit(account, "setup_intent.created", intent, { request: NO_REQUEST });
  return intent;
}

/** The session's customer, or a new one from the email and name given at checkout. */
function customerFor(emu: Emulator, account: Account, session: CheckoutSession, email: string | null, name: string | null): Customer {
  const existing = session.customer ? emu.store.get(account, "customer", session.customer) : undefined;
  return existing ?? createCustomer({ emu, account, request: NO_REQUEST }, { email, name });
}

/** `card` defaults to Stripe's 4242 Visa; outcome `declined` declines whatever the card. */
export type PayInput = { outcome: PayOutcome; email?: string; name?: string; card?: TestCard };
/** The session, and the decline when the card was refused (the session then stays open). */
export type PayResult = { session: CheckoutSession; declineCode?: DeclineCode };

type Payer = { email: string | null; name: string | null; card: TestCard; outcome: PayOutcome };

/** Completes the session (checkout.session.completed) for `customer` (none: a setup-mode guest). */
function complete(
  emu: Emulator,
  account: Account,
  session: CheckoutSession,
  customer: Customer | null,
  billing: BillingDetails,
  changes: Partial<CheckoutSession>,
): void {
  applyChanges(session, {
    status: "complete",
    customer: customer?.id ?? null,
    customer_details: { address: billing.address, email: billing.email, name: billing.name, phone: null, tax_exempt: "none", tax_ids: [] },
    url: null,
    ...changes,
  });
  emu.emit(account, "checkout.session.completed", session, { request: NO_REQUEST });
}

/**
 * A one-time payment: a decline leaves the session open (its payment intent records the failure); a
 * card payment completes it paid; a bank transfer completes it unpaid until settled.
 */
function payOnce(emu: Emulator, account: Account, session: CheckoutSession, payer: Payer): PayResult {
  const intent = intentFor(emu, account, session);
  const declineCode = payer.card.declineCode;
  const attempt = {
    outcome: declineCode ? ("declined" as const) : payer.outcome,
    card: payer.card.card,
    declineCode,
    email: payer.email,
    name: payer.name,
  };
  if (declineCode) {
    attemptPayment(emu, account, intent, attempt);
    return { session, declineCode };
  }
  const customer = customerFor(emu, account, session, payer.email, payer.name);
  intent.customer = customer.id;
  const charge = attemptPayment(emu, account, intent, {
    ...attempt,
    email: payer.email ?? customer.email,
    name: payer.name ?? customer.name,
  });
  complete(emu, account, session, customer, charge.billing_details, { payment_status: payer.outcome === "async" ? "unpaid" : "paid" });
  return { session };
}

/** A subscription: nothing is created when the card is refused; else the subscription starts, paid. */
function subscribe(emu: Emulator, account: Account, session: CheckoutSession, payer: Payer): PayResult {
  if (payer.outcome === "async")
    throw invalidRequest("The Stripe emulator takes card payments only for `subscription` mode Checkout Sessions.");
  const declineCode = subscriptionDecline(account, session, payer.card);
  if (declineCode) return { session, declineCode };
  const customer = customerFor(emu, account, session, payer.email, payer.name);
  const { subscription, invoice } = startSubscription(emu, account, session, customer, payer.card, payer.name ?? customer.name);
  complete(emu, account, session, customer, billingDetails(payer.email ?? customer.email, payer.name ?? customer.name), {
    payment_status: invoice.amount_paid > 0 ? "paid" : "no_payment_required",
    subscription: subscription.id,
    invoice: invoice.id,
    amount_subtotal: invoice.subtotal,
    amount_total: invoice.total,
  });
  return { session };
}

/**
 * Setup mode: nothing is charged; the card is saved for the session's customer (or, without one, left
 * unattached unless customer_creation is `always`) and becomes the setup intent's payment method, in
 * Stripe's event order: setup_intent.created, payment_method.attached, setup_intent.succeeded,
 * checkout.session.completed. A card that declines at setup leaves the session open.
 */
function setUp(emu: Emulator, account: Account, session: CheckoutSession, payer: Payer): PayResult {
  if (payer.outcome === "async")
    throw invalidRequest("A `setup` mode Checkout Session saves a card; outcome `async` (a bank transfer) is for payments.");
  const intent = setupIntentFor(emu, account, session);
  const scope = { emu, account, request: NO_REQUEST };
  const declineCode = setupDeclineOf(payer.card);
  if (declineCode) {
    failSetup(scope, intent, declineCode);
    return { session, declineCode };
  }
  const customer =
    session.customer || session.customer_creation === "always" ? customerFor(emu, account, session, payer.email, payer.name) : null;
  const email = payer.email ?? customer?.email ?? null;
  const name = payer.name ?? customer?.name ?? null;
  const pm = saveCard(scope, payer.card, { customer, email, name, setUp: true });
  succeedSetup(scope, intent, pm);
  complete(emu, account, session, customer, pm.billing_details, {});
  return { session };
}

/** What the hosted page's buttons and POST /_emulator/checkout/sessions/:id/pay do. */
export function payCheckoutSession(emu: Emulator, account: Account, session: CheckoutSession, input: PayInput): PayResult {
  if (sessionUnavailable(session)) throw invalidRequest(`This Checkout Session is no longer available (status: ${session.status}).`);
  const known = session.customer ? emu.store.get(account, "customer", session.customer) : undefined;
  const card = input.card ?? TEST_PAYMENT_METHODS.pm_card_visa!;
  const payer: Payer = {
    email: input.email ?? session.customer_email ?? known?.email ?? null,
    name: input.name ?? known?.name ?? null,
    card:
      input.outcome === "declined" ? { ...card, declineCode: card.declineCode ?? "generic_decline", attachesButChargesFail: false } : card,
    outcome: input.outcome,
  };
  if (session.mode === "setup") return setUp(emu, account, session, payer);
  return session.mode === "subscription" ? subscribe(emu, account, session, payer) : payOnce(emu, account, session, payer);
}

/** A bank transfer settles: the charge and intent succeed or fail, and the Checkout Session says so. */
export function settlePayment(emu: Emulator, account: Account, intent: PaymentIntent, outcome: "succeeded" | "failed"): PaymentIntent {
  const charge = intent.latest_charge ? emu.store.get(account, "charge", intent.latest_charge) : undefined;
  if (intent.status !== "processing" || !charge)
    throw invalidRequest(
      `PaymentIntent ${intent.id} has a status of ${intent.status}; only processing payments (bank transfers) can be settled.`,
    );
  const session = emu.store.all(account, "checkout.session").find((s) => s.payment_intent === intent.id);
  if (outcome === "succeeded") {
    const previous = applyChanges(charge, {
      status: "succeeded",
      paid: true,
      amount_captured: charge.amount,
      outcome: OUTCOMES.authorized,
    });
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
    const error = apiError({
      type: "invalid_request_error",
      code: "insufficient_funds",
      message,
      charge: charge.id,
      payment_method_type: "us_bank_account",
    });
    applyChanges(intent, { status: "requires_payment_method", last_payment_error: error, payment_method: null });
    emu.emit(account, "charge.failed", charge, { previous, request: NO_REQUEST });
    emu.emit(account, "payment_intent.payment_failed", intent, { request: NO_REQUEST });
    if (session) emu.emit(account, "checkout.session.async_payment_failed", session, { request: NO_REQUEST });
  }
  return intent;
}
