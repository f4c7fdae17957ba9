// setup_intent: https://docs.stripe.com/api/setup_intents/object — retrieve (expand payment_method) and
// list. Checkout's setup mode creates them (flows.ts): the card the customer enters is saved for future
// off-session payments and becomes the intent's payment_method, or is declined (setup_intent.setup_failed).
import { retrieve, route, type Emulator, type Route } from "../emulator.ts";
import { apiError, type ApiError } from "../errors.ts";
import { newId, randomChars } from "../ids.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import type { Metadata, Params } from "../params.ts";
import type { Account } from "../store.ts";
import { applyChanges } from "./common.ts";
import type { EventRequest } from "./events.ts";
import { declineErrorCode, DECLINES, type DeclineCode, type PaymentMethod } from "./payment-methods.ts";

type SetupIntentStatus = "canceled" | "processing" | "requires_action" | "requires_confirmation" | "requires_payment_method" | "succeeded";

/** Checkout's setup_intent_data, applied to the setup intent. */
export type SetupIntentData = { description: string | null; metadata: Metadata };

export const SETUP_INTENT_DATA_KEYS = ["description", "metadata", "on_behalf_of"];

export function setupIntentDataFrom(p: Params | undefined): SetupIntentData {
  return { description: p?.str("description", { max: 1000 }) ?? null, metadata: p?.newMetadata() ?? {} };
}

export function buildSetupIntent(now: number, f: SetupIntentData & { customer: string | null; paymentMethodTypes: string[] }) {
  const id = newId("setup_intent");
  return {
    id,
    object: "setup_intent" as const,
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null as "abandoned" | "duplicate" | "requested_by_customer" | null,
    client_secret: `${id}_secret_${randomChars(25)}` as string | null,
    created: now,
    customer: f.customer,
    customer_account: null,
    description: f.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null as ApiError | null,
    // Stripe records each attempt as a SetupAttempt (setatt_…); the emulator does not keep them.
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: f.metadata as Metadata | null,
    next_action: null,
    on_behalf_of: null,
    payment_method: null as string | null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: "automatic" as const } },
    payment_method_types: f.paymentMethodTypes,
    single_use_mandate: null,
    status: "requires_payment_method" as SetupIntentStatus,
    // Checkout's setup mode saves cards for merchant-initiated (off-session) payments.
    usage: "off_session",
  };
}
export type SetupIntent = ReturnType<typeof buildSetupIntent>;

type Scope = { emu: Emulator; account: Account; request: EventRequest };

/** The card was declined: the intent waits for another one (setup_intent.setup_failed). */
export function failSetup({ emu, account, request }: Scope, intent: SetupIntent, code: DeclineCode): void {
  const error = apiError({
    type: "card_error",
    code: declineErrorCode(code),
    decline_code: code,
    message: DECLINES[code],
    payment_method_type: "card",
  });
  applyChanges(intent, { status: "requires_payment_method", last_setup_error: error, payment_method: null });
  emu.emit(account, "setup_intent.setup_failed", intent, { request });
}

/** The card is saved: it becomes the intent's payment method (setup_intent.succeeded). */
export function succeedSetup({ emu, account, request }: Scope, intent: SetupIntent, pm: PaymentMethod): void {
  applyChanges(intent, { status: "succeeded", payment_method: pm.id, customer: pm.customer, last_setup_error: null });
  emu.emit(account, "setup_intent.succeeded", intent, { request });
}

export const setupIntentRoutes: Route[] = [
  route("GET", "/v1/setup_intents/:id", retrieve("setup_intent")),
  route("GET", "/v1/setup_intents", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "customer", "payment_method"]);
    const customer = params.str("customer");
    const paymentMethod = params.str("payment_method");
    const created = createdFilter(params);
    const intents = emu.store
      .newestFirst(account, "setup_intent")
      .filter(
        (si) =>
          (customer === undefined || si.customer === customer) &&
          (paymentMethod === undefined || si.payment_method === paymentMethod) &&
          created(si),
      );
    return paginate(intents, params, "/v1/setup_intents");
  }),
];
