// checkout.session: https://docs.stripe.com/api/checkout/sessions/object — create, retrieve, list,
// line items, expire. The hosted page is GET /c/pay/:id (pages.ts); paying (or, in setup mode, saving a
// card) is flows.ts.
import { invalidParam, invalidRequest, missingParam } from "../errors.ts";
import { retrieve, route, type Ctx, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";
import { createdFilter, LIST_PARAMS, listOf, paginate, type ListObject } from "../list.ts";
import type { Metadata, Params } from "../params.ts";
import type { Account } from "../store.ts";
import type { Emulator } from "../emulator.ts";
import { applyChanges, currencyParam, formatAmount, MINIMUM_AMOUNT, type Address } from "./common.ts";
import { PAYMENT_INTENT_DATA_KEYS, paymentIntentDataFrom } from "./payment-intents.ts";
import { SETUP_INTENT_DATA_KEYS, setupIntentDataFrom } from "./setup-intents.ts";
import { createPrice, type Price } from "./prices.ts";
import { NO_REQUEST } from "./events.ts";
import { firstInvoicePlan, subscriptionDataFrom } from "../billing/checkout-terms.ts";

type Mode = "payment" | "setup" | "subscription";
type TaxExempt = "exempt" | "none" | "reverse";

export type CustomerDetails = {
  address: Address | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  tax_exempt: TaxExempt | null;
  tax_ids: { type: string; value: string | null }[] | null;
};

export function buildLineItem(price: Price, quantity: number, description: string) {
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id: newId("item"),
    object: "item" as const,
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: description as string | null,
    metadata: {} as Metadata | null,
    price: structuredClone(price) as Price | null,
    quantity: quantity as number | null,
  };
}
export type LineItem = ReturnType<typeof buildLineItem>;

export const SESSION_LIFETIME_SECONDS = 24 * 3600;
const HOSTED_UI_MODES = ["hosted", "hosted_page"];

export function buildCheckoutSession(
  now: number,
  f: {
    mode: Mode;
    lineItems: LineItem[];
    /** setup mode's `currency` (the other modes take the line items'). */
    currency: string | null;
    customer: string | null;
    customerEmail: string | null;
    expiresAt: number;
    paymentMethodTypes: string[];
    publicUrl: string;
  },
) {
  const id = newId("checkout.session");
  const total = f.lineItems.reduce((sum, item) => sum + item.amount_total, 0);
  const amounts = f.mode !== "setup";
  return {
    id,
    object: "checkout.session" as const,
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null as boolean | null,
    amount_subtotal: amounts ? total : null,
    amount_total: amounts ? total : null,
    automatic_tax: { enabled: false, status: null },
    billing_address_collection: null as "auto" | "required" | null,
    cancel_url: null as string | null,
    client_reference_id: null as string | null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency: f.lineItems[0]?.currency ?? f.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { shipping_address: null, submit: null },
    customer: f.customer,
    customer_account: null,
    customer_creation: (f.customer || f.mode === "subscription" ? null : "if_required") as "always" | "if_required" | null,
    customer_details: null as CustomerDetails | null,
    customer_email: f.customerEmail,
    discounts: [],
    expires_at: f.expiresAt,
    integration_identifier: null,
    invoice: null as string | null,
    invoice_creation:
      f.mode === "payment"
        ? {
            enabled: false,
            invoice_data: { account_tax_ids: null, custom_fields: null, footer: null, metadata: {}, rendering_options: null },
          }
        : null,
    livemode: false,
    locale: null as string | null,
    managed_payments: null,
    metadata: {} as Metadata | null,
    mode: f.mode,
    optional_items: null,
    origin_context: null,
    payment_intent: null as string | null,
    payment_link: null,
    payment_method_collection: (f.mode === "payment" ? null : "always") as "always" | "if_required" | null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: f.paymentMethodTypes,
    payment_status: (f.mode === "setup" ? "no_payment_required" : "unpaid") as "no_payment_required" | "paid" | "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null as string | null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open" as "complete" | "expired" | "open" | null,
    submit_type: null as "auto" | "book" | "donate" | "pay" | "subscribe" | null,
    subscription: null as string | null,
    success_url: null as string | null,
    tax_id_collection: { enabled: false },
    total_details: amounts ? { amount_discount: 0, amount_shipping: 0 as number | null, amount_tax: 0 } : null,
    ui_mode: "hosted_page" as const,
    url: `${f.publicUrl}/c/pay/${id}` as string | null,
    wallet_options: null,
  };
}
export type CheckoutSession = ReturnType<typeof buildCheckoutSession>;

/** Create params the emulator reads. */
const READ = [
  "mode",
  "line_items",
  "customer",
  "customer_email",
  "client_reference_id",
  "metadata",
  "payment_intent_data",
  "subscription_data",
  "success_url",
  "cancel_url",
  "expires_at",
  "payment_method_types",
  "allowed_payment_method_types",
  "currency",
  "setup_intent_data",
  "allow_promotion_codes",
  "billing_address_collection",
  "customer_creation",
  "locale",
  "submit_type",
  "ui_mode",
  "expand",
];
/** Create params accepted and kept with the session, not modelled. */
const KEPT = [
  "automatic_tax",
  "consent_collection",
  "custom_fields",
  "custom_text",
  "customer_update",
  "discounts",
  "invoice_creation",
  "payment_method_collection",
  "payment_method_configuration",
  "payment_method_options",
  "phone_number_collection",
  "redirect_on_completion",
  "return_url",
  "saved_payment_method_options",
  "shipping_address_collection",
  "shipping_options",
  "tax_id_collection",
  "after_expiration",
];

const LINE_ITEM_KEYS = ["price", "price_data", "quantity", "adjustable_quantity", "dynamic_tax_rates", "tax_rates", "metadata"];
const PRICE_DATA_KEYS = ["currency", "unit_amount", "unit_amount_decimal", "product", "product_data", "recurring", "tax_behavior"];

function lineItemFrom(ctx: Ctx, p: Params, mode: Mode): LineItem {
  p.allowOnly(LINE_ITEM_KEYS);
  const priceId = p.str("price");
  const priceData = p.obj("price_data");
  if (priceId !== undefined && priceData)
    throw invalidRequest(`You may only specify one of these parameters: price, price_data.`, { param: p.path("price") });
  let price: Price;
  if (priceId !== undefined) price = ctx.emu.store.find(ctx.account, "price", priceId, p.path("price"));
  else if (priceData) price = createPrice(ctx, priceData.allowOnly(PRICE_DATA_KEYS), { inline: true });
  else throw missingParam(p.path("price"));
  if (mode === "payment" && price.recurring)
    throw invalidParam(
      p.path("price"),
      "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
    );
  const quantity = p.int("quantity", { min: 1, max: 999_999 });
  if (quantity === undefined) throw missingParam(p.path("quantity"));
  const product = ctx.emu.store.get(ctx.account, "product", price.product);
  const item = buildLineItem(price, quantity, product?.name ?? price.nickname ?? "Item");
  item.metadata = p.newMetadata();
  return item;
}

/** The emulator's subscriptions bill recurring prices of one interval (Stripe also adds one-time items to the first invoice). */
function checkSubscriptionItems(lineItems: LineItem[]): void {
  const recurring = lineItems.map((i) => i.price?.recurring);
  if (!recurring.some(Boolean))
    throw invalidParam("line_items", "You must provide at least one recurring price in `subscription` mode when using prices.");
  if (recurring.some((r) => !r))
    throw invalidParam("line_items", "The Stripe emulator supports recurring prices only in `subscription` mode.");
  const [first] = recurring;
  if (recurring.some((r) => r!.interval !== first!.interval || r!.interval_count !== first!.interval_count))
    throw invalidParam("line_items", "All recurring prices in a Checkout Session must have the same billing interval.");
}

function createSession(ctx: Ctx): CheckoutSession {
  const { emu, account, params } = ctx;
  params.allowOnly([...READ, ...KEPT]);
  const mode = params.oneOf("mode", ["payment", "setup", "subscription"] as const);
  if (!mode) throw missingParam("mode");
  const uiMode = params.str("ui_mode");
  if (uiMode !== undefined && !HOSTED_UI_MODES.includes(uiMode))
    throw invalidParam("ui_mode", `The Stripe emulator supports hosted Checkout only (ui_mode: hosted_page).`);

  const customerId = params.str("customer");
  const customerEmail = params.str("customer_email", { max: 800 });
  if (customerId !== undefined && customerEmail !== undefined)
    throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", { param: "customer_email" });
  const customer = customerId === undefined ? null : emu.store.find(account, "customer", customerId, "customer").id;

  const now = account.clock.now();
  const expiresAt = params.int("expires_at") ?? now + SESSION_LIFETIME_SECONDS;
  if (expiresAt < now + 1800 || expiresAt > now + SESSION_LIFETIME_SECONDS)
    throw invalidParam(
      "expires_at",
      "The `expires_at` timestamp must be between 30 minutes and 24 hours from the Checkout Session's creation.",
    );

  if (mode === "setup" && params.has("line_items")) throw invalidParam("line_items", "You cannot pass `line_items` in `setup` mode.");
  if (mode !== "payment" && params.has("payment_intent_data"))
    throw invalidParam("payment_intent_data", `You can not pass \`payment_intent_data\` in \`${mode}\` mode.`);
  if (mode !== "subscription" && params.has("subscription_data"))
    throw invalidParam("subscription_data", `You can not pass \`subscription_data\` in \`${mode}\` mode.`);
  if (mode !== "setup" && params.has("setup_intent_data"))
    throw invalidParam("setup_intent_data", `You can not pass \`setup_intent_data\` in \`${mode}\` mode.`);
  const lineItems = params.list("line_items").map((item) => lineItemFrom(ctx, item, mode));
  if (mode !== "setup" && lineItems.length === 0) throw missingParam("line_items");
  if (new Set(lineItems.map((i) => i.currency)).size > 1) throw invalidParam("line_items", "All line items must use the same currency.");
  if (mode === "subscription") checkSubscriptionItems(lineItems);
  const subscriptionData =
    mode === "subscription" ? subscriptionDataFrom(params.obj("subscription_data"), now, lineItems[0]!.price!.recurring!) : undefined;

  // allowed_payment_method_types replaced payment_method_types (removed in API 2026-09-30.endive); both are taken.
  const listedTypes = [...params.strList("payment_method_types"), ...params.strList("allowed_payment_method_types")];
  const currency = currencyParam(params) ?? null;
  // Setup mode charges nothing, so its payment methods are chosen by currency unless listed (Stripe's rule).
  if (mode === "setup" && currency === null && listedTypes.length === 0)
    throw invalidRequest("`currency` is required in `setup` mode when `allowed_payment_method_types` is not set.", {
      code: "parameter_missing",
      param: "currency",
    });
  const session = buildCheckoutSession(now, {
    mode,
    lineItems,
    currency: mode === "setup" ? currency : null,
    customer,
    customerEmail: customerEmail ?? null,
    expiresAt,
    // The hosted page takes cards, and bank transfers for one-time payments.
    paymentMethodTypes: listedTypes.length > 0 ? [...new Set(listedTypes)] : mode === "setup" ? ["card"] : ["card", "us_bank_account"],
    publicUrl: emu.publicUrl,
  });
  if (subscriptionData) {
    // What is due now: nothing in a trial, a prorated amount before a future billing cycle anchor.
    session.amount_subtotal = session.amount_total = firstInvoicePlan(lineItems, subscriptionData, now).total;
  }
  const minimum = session.currency ? MINIMUM_AMOUNT[session.currency] : undefined;
  if (mode === "payment" && minimum !== undefined && (session.amount_total ?? 0) < minimum)
    throw invalidParam(
      "line_items",
      `The Checkout Session's total amount due must add up to at least ${formatAmount(minimum, session.currency!)}.`,
    );

  session.client_reference_id = params.str("client_reference_id", { max: 200 }) ?? null;
  session.metadata = params.newMetadata();
  session.success_url = params.url("success_url") ?? null;
  session.cancel_url = params.url("cancel_url") ?? null;
  session.allow_promotion_codes = params.bool("allow_promotion_codes") ?? null;
  session.billing_address_collection = params.oneOf("billing_address_collection", ["auto", "required"] as const) ?? null;
  session.customer_creation = params.oneOf("customer_creation", ["always", "if_required"] as const) ?? session.customer_creation;
  session.locale = params.str("locale") ?? null;
  session.submit_type = params.oneOf("submit_type", ["auto", "book", "donate", "pay", "subscribe"] as const) ?? null;

  const paymentIntentData = paymentIntentDataFrom(params.obj("payment_intent_data")?.allowOnly(PAYMENT_INTENT_DATA_KEYS));
  const setupIntentData =
    mode === "setup" ? setupIntentDataFrom(params.obj("setup_intent_data")?.allowOnly(SETUP_INTENT_DATA_KEYS)) : undefined;
  account.checkout.set(session.id, { lineItems, paymentIntentData, subscriptionData, setupIntentData, params: params.values });
  return emu.store.insert(account, session);
}

export function lineItemsOf(account: Account, sessionId: string): LineItem[] {
  return account.checkout.get(sessionId)?.lineItems ?? [];
}

/** `expand[]=line_items` on a session: the first page, as Stripe includes it. */
export function lineItemsList(account: Account, session: CheckoutSession): ListObject<LineItem> {
  const items = lineItemsOf(account, session.id);
  return listOf(items.slice(0, 10), `/v1/checkout/sessions/${session.id}/line_items`, items.length > 10);
}

/**
 * Expires an open session (and cancels the payment or setup intent of a declined attempt), emitting
 * checkout.session.expired.
 */
export function expireSession(emu: Emulator, account: Account, session: CheckoutSession, request = NO_REQUEST): void {
  const intent = session.payment_intent ? emu.store.get(account, "payment_intent", session.payment_intent) : undefined;
  if (intent && intent.status === "requires_payment_method") {
    applyChanges(intent, { status: "canceled", canceled_at: account.clock.now(), cancellation_reason: "abandoned" });
    emu.emit(account, "payment_intent.canceled", intent, { request });
  }
  const setup = session.setup_intent ? emu.store.get(account, "setup_intent", session.setup_intent) : undefined;
  if (setup && setup.status === "requires_payment_method") {
    applyChanges(setup, { status: "canceled", cancellation_reason: "abandoned" });
    emu.emit(account, "setup_intent.canceled", setup, { request });
  }
  session.status = "expired";
  session.url = null;
  emu.emit(account, "checkout.session.expired", session, { request });
}

/** Sessions past expires_at expire, as Stripe's background job does (scheduler.ts); returns how many. */
export function expireDueSessions(emu: Emulator, account: Account): number {
  const now = account.clock.now();
  const due = emu.store.all(account, "checkout.session").filter((s) => s.status === "open" && s.expires_at <= now);
  for (const session of due) expireSession(emu, account, session);
  return due.length;
}

export const checkoutSessionRoutes: Route[] = [
  route("POST", "/v1/checkout/sessions", createSession),
  route("GET", "/v1/checkout/sessions/:id", retrieve("checkout.session")),
  route("GET", "/v1/checkout/sessions/:id/line_items", ({ emu, account, path, params }) => {
    params.allowOnly(["limit", "starting_after", "ending_before", "expand"]);
    const session = emu.store.find(account, "checkout.session", path.id!);
    return paginate(lineItemsOf(account, session.id), params, `/v1/checkout/sessions/${session.id}/line_items`);
  }),
  route("POST", "/v1/checkout/sessions/:id/expire", ({ emu, account, path, params, request }) => {
    params.allowOnly(["expand"]);
    const session = emu.store.find(account, "checkout.session", path.id!);
    if (session.status !== "open")
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
        { code: "checkout_session_not_open" },
      );
    expireSession(emu, account, session, request);
    return session;
  }),
  route("GET", "/v1/checkout/sessions", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "payment_intent", "customer", "status", "subscription", "customer_details"]);
    const paymentIntent = params.str("payment_intent");
    const customer = params.str("customer");
    const subscription = params.str("subscription");
    const status = params.oneOf("status", ["complete", "expired", "open"] as const);
    const email = params.obj("customer_details")?.allowOnly(["email"]).str("email");
    const created = createdFilter(params);
    const sessions = emu.store
      .newestFirst(account, "checkout.session")
      .filter(
        (s) =>
          (paymentIntent === undefined || s.payment_intent === paymentIntent) &&
          (customer === undefined || s.customer === customer) &&
          (subscription === undefined || s.subscription === subscription) &&
          (status === undefined || s.status === status) &&
          (email === undefined || s.customer_details?.email === email) &&
          created(s),
      );
    return paginate(sessions, params, "/v1/checkout/sessions");
  }),
];
