// payment_intent: https://docs.stripe.com/api/payment_intents/object — retrieve (expand latest_charge),
// list, and create/confirm with Stripe's test payment methods (pm_card_visa, pm_card_chargeDeclined, …) or
// a customer's saved card, on-session or off-session (`off_session: true`, a merchant-initiated charge).
// Checkout creates its own payment intents (flows.ts).
import { retrieve, route, type Ctx, type Route } from "../emulator.ts";
import { cardError, invalidParam, invalidRequest, missingParam, type ApiError } from "../errors.ts";
import { attemptPayment } from "../payments.ts";
import { cardOf, chargeDeclineOf, offSessionDeclineOf, TEST_PAYMENT_METHODS } from "./payment-methods.ts";
import { newId, randomChars } from "../ids.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import type { Metadata, Params } from "../params.ts";
import { applyChanges, currencyParam, formatAmount, MINIMUM_AMOUNT } from "./common.ts";

export type PaymentIntentStatus =
  "canceled" | "processing" | "requires_action" | "requires_capture" | "requires_confirmation" | "requires_payment_method" | "succeeded";

/** Checkout's payment_intent_data (and the create params), applied to the payment intent. */
export type PaymentIntentData = {
  description: string | null;
  metadata: Metadata;
  receiptEmail: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
  setupFutureUsage: "off_session" | "on_session" | null;
};

export function paymentIntentDataFrom(p: Params | undefined): PaymentIntentData {
  return {
    description: p?.str("description", { max: 1000 }) ?? null,
    metadata: p?.newMetadata() ?? {},
    receiptEmail: p?.str("receipt_email") ?? null,
    statementDescriptor: p?.str("statement_descriptor", { max: 22 }) ?? null,
    statementDescriptorSuffix: p?.str("statement_descriptor_suffix", { max: 22 }) ?? null,
    setupFutureUsage: p?.oneOf("setup_future_usage", ["off_session", "on_session"] as const) ?? null,
  };
}

const DATA_KEYS = ["description", "metadata", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "setup_future_usage"];
/** Checkout's payment_intent_data: these are accepted and kept with the session's params, not modelled. */
export const PAYMENT_INTENT_DATA_KEYS = [
  ...DATA_KEYS,
  "capture_method",
  "application_fee_amount",
  "on_behalf_of",
  "shipping",
  "transfer_data",
  "transfer_group",
];

export function buildPaymentIntent(
  now: number,
  f: PaymentIntentData & { amount: number; currency: string; customer: string | null; paymentMethodTypes: string[] },
) {
  const id = newId("payment_intent");
  return {
    id,
    object: "payment_intent" as const,
    allowed_payment_method_types: null,
    amount: f.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null as number | null,
    cancellation_reason: null as string | null,
    capture_method: "automatic_async" as const,
    client_secret: `${id}_secret_${randomChars(25)}` as string | null,
    confirmation_method: "automatic" as const,
    created: now,
    currency: f.currency,
    customer: f.customer,
    customer_account: null,
    description: f.description,
    excluded_payment_method_types: null,
    last_payment_error: null as ApiError | null,
    latest_charge: null as string | null,
    livemode: false,
    managed_payments: null,
    metadata: f.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null as string | null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" as const },
      us_bank_account: { verification_method: "automatic" as const },
    },
    payment_method_types: f.paymentMethodTypes,
    processing: null,
    receipt_email: f.receiptEmail,
    review: null,
    setup_future_usage: f.setupFutureUsage,
    shipping: null,
    statement_descriptor: f.statementDescriptor,
    statement_descriptor_suffix: f.statementDescriptorSuffix,
    status: "requires_payment_method" as PaymentIntentStatus,
    transfer_data: null,
    transfer_group: null,
  };
}
export type PaymentIntent = ReturnType<typeof buildPaymentIntent>;

/** `off_session`: true, false, or Stripe's `one_off` / `recurring` (both mean true). */
function offSessionParam(params: Params): boolean | undefined {
  const value = params.oneOf("off_session", ["true", "false", "one_off", "recurring"] as const);
  return value === undefined ? undefined : value !== "false";
}

/**
 * The card to charge: a test id (pm_card_visa, …) or a stored card, which must belong to the intent's
 * customer. Its decline, if any: a test id counts as never set up for future payments.
 */
function cardToCharge(ctx: Ctx, intent: PaymentIntent, paymentMethod: string) {
  const { emu, account } = ctx;
  const test = TEST_PAYMENT_METHODS[paymentMethod];
  if (test) return { card: test.card, declineCode: offSessionDeclineOf(test, false), stored: undefined };
  const stored = emu.store.find(account, "payment_method", paymentMethod, "payment_method");
  if (stored.customer !== null && stored.customer !== intent.customer)
    throw invalidParam(
      "payment_method",
      `The \`payment_method\` parameter supplied ${stored.id} belongs to the Customer ${stored.customer}. Please include the Customer in the \`customer\` parameter on the PaymentIntent.`,
      "payment_intent_invalid_parameter",
    );
  return { card: cardOf(stored), declineCode: chargeDeclineOf(account, stored), stored };
}

/**
 * Confirms with a test payment method or a stored card; a decline answers 402 card_error (the intent keeps
 * the failure). A card that needs 3D Secure fails off-session with 402 authentication_required, as at
 * Stripe; on-session Stripe would wait for the customer (requires_action), which the emulator does not model.
 */
function confirm(ctx: Ctx, intent: PaymentIntent, paymentMethod: string | undefined, offSession: boolean): PaymentIntent {
  const { emu, account, request } = ctx;
  if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation")
    throw invalidRequest(`You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`, {
      code: "payment_intent_unexpected_state",
    });
  if (paymentMethod === undefined) throw missingParam("payment_method");
  const { card, declineCode, stored } = cardToCharge(ctx, intent, paymentMethod);
  if (declineCode === "authentication_required" && !offSession)
    throw invalidParam(
      "payment_method",
      "This card needs 3D Secure authentication on-session (status requires_action at Stripe), which the Stripe emulator does not simulate. Confirm with `off_session: true` for a merchant-initiated charge.",
    );
  const customer = intent.customer ? emu.store.get(account, "customer", intent.customer) : undefined;
  attemptPayment(emu, account, intent, {
    outcome: declineCode ? "declined" : "succeeded",
    card,
    declineCode,
    paymentMethod: stored?.id,
    email: customer?.email ?? intent.receipt_email,
    name: stored?.billing_details.name ?? customer?.name ?? null,
    request,
  });
  if (intent.last_payment_error) throw cardError({ ...intent.last_payment_error, payment_intent: structuredClone(intent) });
  return intent;
}

function createIntent(ctx: Ctx): PaymentIntent {
  const { emu, account, params, request } = ctx;
  params.allowOnly([
    ...DATA_KEYS,
    "amount",
    "currency",
    "customer",
    "payment_method_types",
    "automatic_payment_methods",
    "payment_method",
    "confirm",
    "off_session",
    "expand",
  ]);
  const amount = params.int("amount", { min: 1 });
  if (amount === undefined) throw missingParam("amount");
  const currency = currencyParam(params, "currency", true)!;
  const minimum = MINIMUM_AMOUNT[currency];
  if (minimum !== undefined && amount < minimum)
    throw invalidParam("amount", `Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, "amount_too_small");
  const customerId = params.str("customer");
  const customer = customerId === undefined ? null : emu.store.find(account, "customer", customerId, "customer").id;
  const confirmNow = params.bool("confirm") ?? false;
  const offSession = offSessionParam(params);
  if (offSession !== undefined && !confirmNow) throw invalidParam("off_session", "You can only pass `off_session` when `confirm` is true.");
  const types = params.strList("payment_method_types");
  const intent = emu.store.insert(
    account,
    buildPaymentIntent(account.clock.now(), {
      ...paymentIntentDataFrom(params),
      amount,
      currency,
      customer,
      paymentMethodTypes: types.length > 0 ? types : ["card"],
    }),
  );
  const paymentMethod = params.str("payment_method");
  if (paymentMethod !== undefined) applyChanges(intent, { status: "requires_confirmation", payment_method: paymentMethod });
  emu.emit(account, "payment_intent.created", intent, { request });
  return confirmNow ? confirm(ctx, intent, paymentMethod, offSession ?? false) : intent;
}

export const paymentIntentRoutes: Route[] = [
  route("POST", "/v1/payment_intents", createIntent),
  route("GET", "/v1/payment_intents/:id", retrieve("payment_intent")),
  route("POST", "/v1/payment_intents/:id/confirm", (ctx) => {
    ctx.params.allowOnly(["payment_method", "off_session", "expand"]);
    const intent = ctx.emu.store.find(ctx.account, "payment_intent", ctx.path.id!);
    return confirm(
      ctx,
      intent,
      ctx.params.str("payment_method") ?? intent.payment_method ?? undefined,
      offSessionParam(ctx.params) ?? false,
    );
  }),
  route("GET", "/v1/payment_intents", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "customer"]);
    const customer = params.str("customer");
    const created = createdFilter(params);
    const intents = emu.store
      .newestFirst(account, "payment_intent")
      .filter((pi) => (customer === undefined || pi.customer === customer) && created(pi));
    return paginate(intents, params, "/v1/payment_intents");
  }),
];
