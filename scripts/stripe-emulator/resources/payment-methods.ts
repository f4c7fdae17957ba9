// payment_method: https://docs.stripe.com/api/payment_methods/object — retrieve, list, attach. Cards
// reach a customer through subscription or setup Checkout, customers.update(invoice_settings[default_payment_method])
// with a test id, the portal's "Update card" form, or POST /v1/payment_methods/:id/attach.
// Also Stripe's test cards and test payment method ids, and how charges on them behave.
import { cardError, invalidRequest, missingParam, type StripeHttpError } from "../errors.ts";
import { retrieve, route, type Ctx, type Emulator, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";
import { LIST_PARAMS, paginate } from "../list.ts";
import type { Metadata } from "../params.ts";
import type { Account } from "../store.ts";
import { billingDetails, cardFingerprint, type BillingDetails, type CardDetails } from "./charges.ts";
import { applyChanges } from "./common.ts";
import type { Customer } from "./customers.ts";
import type { EventRequest } from "./events.ts";

export const DECLINES = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  authentication_required: "Your card was declined. This transaction requires authentication.",
} as const;
export type DeclineCode = keyof typeof DECLINES;

/** The error `code` of a decline: `card_declined`, except `authentication_required`, which Stripe also uses as the code. */
export function declineErrorCode(code: DeclineCode): string {
  return code === "authentication_required" ? code : "card_declined";
}

export const TEST_CARD: CardDetails = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 };

/**
 * A test card: its details, whether it declines (every time, or — Stripe's …0341 — only charges), and
 * whether its issuer asks for 3D Secure: on every payment (…3184), or unless the card was set up for
 * future payments with the customer present (…3155). The hosted pages stand in for the customer, who
 * passes the challenge there; an off-session charge that needs it fails with `authentication_required`.
 */
export type TestCard = {
  card: CardDetails;
  declineCode?: DeclineCode;
  attachesButChargesFail?: boolean;
  authentication?: "always" | "unless_set_up";
};

const withLast4 = (last4: string): CardDetails => ({ ...TEST_CARD, last4 });

/** Stripe's test card numbers that do not simply succeed. */
const SPECIAL_NUMBERS: Record<string, Omit<TestCard, "card">> = {
  "4000000000000002": { declineCode: "generic_decline" },
  "4000000000009995": { declineCode: "insufficient_funds" },
  "4000000000000341": { declineCode: "generic_decline", attachesButChargesFail: true },
  "4000002500003155": { authentication: "unless_set_up" },
  "4000002760003184": { authentication: "always" },
};

/** The behaviour of a card typed into a hosted page (any other valid number succeeds). */
export function testCardOf(number: string, card: CardDetails): TestCard {
  return { card, ...SPECIAL_NUMBERS[number.replace(/\D/g, "")] };
}

/** Stripe's test payment method ids, for the API (payment intents, customers, invoices, Checkout control). */
export const TEST_PAYMENT_METHODS: Record<string, TestCard> = {
  pm_card_visa: { card: TEST_CARD },
  pm_card_mastercard: { card: { brand: "mastercard", last4: "4444", exp_month: 12, exp_year: 2034 } },
  pm_card_chargeDeclined: { card: withLast4("0002"), declineCode: "generic_decline" },
  pm_card_chargeDeclinedInsufficientFunds: { card: withLast4("9995"), declineCode: "insufficient_funds" },
  pm_card_chargeCustomerFail: { card: withLast4("0341"), declineCode: "generic_decline", attachesButChargesFail: true },
  pm_card_authenticationRequiredOnSetup: { card: withLast4("3155"), authentication: "unless_set_up" },
  pm_card_authenticationRequired: { card: withLast4("3184"), authentication: "always" },
};

/** The decline when the card is set up or attached (…0002, …9995); …0341 and 3D Secure cards are saved. */
export function setupDeclineOf(card: TestCard): DeclineCode | undefined {
  return card.attachesButChargesFail ? undefined : card.declineCode;
}

/** The decline an off-session charge on this card gets; `setUp`: saved with the customer present (a SetupIntent). */
export function offSessionDeclineOf(card: TestCard, setUp: boolean): DeclineCode | undefined {
  if (card.declineCode) return card.declineCode;
  if (card.authentication === "always" || (card.authentication === "unless_set_up" && !setUp)) return "authentication_required";
  return undefined;
}

export function buildPaymentMethod(now: number, f: { card: CardDetails; customer: string | null; billingDetails: BillingDetails }) {
  return {
    id: newId("payment_method"),
    object: "payment_method" as const,
    billing_details: f.billingDetails,
    card: {
      brand: f.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" } as {
        address_line1_check: string | null;
        address_postal_code_check: string | null;
        cvc_check: string | null;
      } | null,
      country: "US" as string | null,
      display_brand: f.card.brand as string | null,
      exp_month: f.card.exp_month,
      exp_year: f.card.exp_year,
      fingerprint: cardFingerprint(f.card) as string | null,
      funding: "credit",
      generated_from: null,
      last4: f.card.last4,
      networks: { available: [f.card.brand], preferred: null as string | null } as { available: string[]; preferred: string | null } | null,
      regulated_status: "unregulated" as "regulated" | "unregulated" | null,
      three_d_secure_usage: { supported: true } as { supported: boolean } | null,
      wallet: null,
    },
    created: now,
    customer: f.customer,
    customer_account: null,
    livemode: false,
    metadata: {} as Metadata | null,
    type: "card" as const,
  };
}
export type PaymentMethod = ReturnType<typeof buildPaymentMethod>;

/** The card a stored payment method charges. */
export function cardOf(pm: PaymentMethod): CardDetails {
  return { brand: pm.card.brand, last4: pm.card.last4, exp_month: pm.card.exp_month, exp_year: pm.card.exp_year };
}

/** The decline a charge on this payment method gets, if it fails. */
export function chargeDeclineOf(account: Account, pm: PaymentMethod): DeclineCode | undefined {
  return account.failingPaymentMethods.get(pm.id);
}

/** 402 card_declined, as Stripe answers a card that fails verification when it is attached. */
export function declinedCard(code: DeclineCode): StripeHttpError {
  return cardError({ type: "card_error", code: declineErrorCode(code), decline_code: code, message: DECLINES[code] });
}

type Scope = { emu: Emulator; account: Account; request: EventRequest };

/**
 * Saves a new card, attached to `customer` (payment_method.attached) or — Checkout's setup mode without
 * a customer — unattached. A card that declines outright is refused with 402 card_declined; Stripe's
 * …0341 is saved and its charges will fail, as will off-session charges that need authentication.
 * `setUp`: collected with the customer present (Checkout, the portal), as Stripe's SetupIntents do.
 */
export function saveCard(
  { emu, account, request }: Scope,
  card: TestCard,
  f: { customer: Customer | null; email: string | null; name: string | null; setUp: boolean },
): PaymentMethod {
  const refused = setupDeclineOf(card);
  if (refused) throw declinedCard(refused);
  const pm = emu.store.insert(
    account,
    buildPaymentMethod(account.clock.now(), {
      card: card.card,
      customer: f.customer?.id ?? null,
      billingDetails: billingDetails(f.email, f.name),
    }),
  );
  const decline = offSessionDeclineOf(card, f.setUp);
  if (decline) account.failingPaymentMethods.set(pm.id, decline);
  if (f.customer) emu.emit(account, "payment_method.attached", pm, { request });
  return pm;
}

/** customer.invoice_settings.default_payment_method = pm (customer.updated). */
export function setDefaultPaymentMethod({ emu, account, request }: Scope, customer: Customer, pm: PaymentMethod): void {
  const previous = applyChanges(customer, { invoice_settings: { ...customer.invoice_settings, default_payment_method: pm.id } });
  if (Object.keys(previous).length > 0) emu.emit(account, "customer.updated", customer, { previous, request });
}

/** The customer's default payment method, if it has one. */
export function defaultPaymentMethodOf(account: Account, emu: Emulator, customer: Customer): PaymentMethod | undefined {
  const id = customer.invoice_settings.default_payment_method;
  return id ? emu.store.get(account, "payment_method", id) : undefined;
}

/**
 * A payment method id given for `customer`: a test id (pm_card_visa, …) attaches a new card, as
 * Stripe's test ids do; a stored one must belong to the customer or be unattached (then it attaches).
 */
export function paymentMethodFor({ emu, account, request }: Scope, customer: Customer, id: string, param: string): PaymentMethod {
  const test = TEST_PAYMENT_METHODS[id];
  if (test) return saveCard({ emu, account, request }, test, { customer, email: customer.email, name: customer.name, setUp: false });
  const pm = emu.store.find(account, "payment_method", id, param);
  if (pm.customer === customer.id) return pm;
  if (pm.customer !== null)
    throw invalidRequest("The payment method you provided has already been attached to a customer.", {
      param,
      code: "payment_method_unexpected_state",
    });
  pm.customer = customer.id;
  emu.emit(account, "payment_method.attached", pm, { request });
  return pm;
}

/** GET /v1/payment_methods?customer= and GET /v1/customers/:id/payment_methods. */
function listOfCustomer({ emu, account, params }: Ctx, customer: string | undefined, url: string) {
  const type = params.str("type");
  const methods = emu.store
    .newestFirst(account, "payment_method")
    .filter((pm) => (customer === undefined || pm.customer === customer) && (type === undefined || pm.type === type));
  return paginate(methods, params, url);
}

export const paymentMethodRoutes: Route[] = [
  route("GET", "/v1/payment_methods/:id", retrieve("payment_method")),
  route("POST", "/v1/payment_methods/:id/attach", (ctx) => {
    ctx.params.allowOnly(["customer", "expand"]);
    const customerId = ctx.params.str("customer");
    if (customerId === undefined) throw missingParam("customer");
    return paymentMethodFor(ctx, ctx.emu.store.find(ctx.account, "customer", customerId, "customer"), ctx.path.id!, "id");
  }),
  route("GET", "/v1/payment_methods", (ctx) => {
    ctx.params.allowOnly([...LIST_PARAMS, "customer", "type"]);
    return listOfCustomer(ctx, ctx.params.str("customer"), "/v1/payment_methods");
  }),
  route("GET", "/v1/customers/:id/payment_methods", (ctx) => {
    ctx.params.allowOnly([...LIST_PARAMS, "type"]);
    const customer = ctx.emu.store.find(ctx.account, "customer", ctx.path.id!);
    return listOfCustomer(ctx, customer.id, `/v1/customers/${customer.id}/payment_methods`);
  }),
];
