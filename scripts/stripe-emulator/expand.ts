// `expand[]`: replaces an id with the object it names (`payment_intent`, `payment_intent.latest_charge`,
// `parent.subscription_details.subscription` on an invoice), adds includable properties (`line_items` on a
// checkout session, `payments` on an invoice), and on lists applies `data.…` paths to each item. Works
// on a copy: stored objects are never changed by a response.
import { invalidRequest } from "./errors.ts";
import { lineItemsList, type CheckoutSession } from "./resources/checkout-sessions.ts";
import { invoicePaymentsList, type Invoice } from "./resources/invoices.ts";
import type { Account, Store } from "./store.ts";

type Json = Record<string, unknown>;

/**
 * Properties that hold an id Stripe can expand, per object type; an embedded object without its own
 * `object` is named by its path (`invoice.parent.subscription_details`).
 */
const EXPANDABLE: Record<string, readonly string[]> = {
  "checkout.session": ["customer", "invoice", "payment_intent", "payment_link", "setup_intent", "subscription"],
  payment_intent: ["customer", "latest_charge", "payment_method", "application", "on_behalf_of", "review"],
  charge: [
    "customer",
    "payment_intent",
    "balance_transaction",
    "application",
    "application_fee",
    "on_behalf_of",
    "review",
    "source_transfer",
    "transfer",
  ],
  refund: ["charge", "payment_intent", "balance_transaction", "payment_method", "source_transfer_reversal", "transfer_reversal"],
  price: ["product"],
  product: ["default_price", "tax_code"],
  customer: ["default_source", "test_clock"],
  "customer.invoice_settings": ["default_payment_method"],
  "billing_portal.session": ["configuration"],
  payment_method: ["customer"],
  setup_intent: ["customer", "payment_method", "latest_attempt", "mandate", "single_use_mandate", "application", "on_behalf_of"],
  dispute: ["charge", "payment_intent"],
  subscription: [
    "customer",
    "default_payment_method",
    "default_source",
    "latest_invoice",
    "pending_setup_intent",
    "schedule",
    "test_clock",
    "application",
    "on_behalf_of",
  ],
  invoice: ["customer", "default_payment_method", "default_source", "latest_revision", "test_clock", "application", "on_behalf_of"],
  "invoice.parent.subscription_details": ["subscription"],
  line_item: ["subscription"],
  "line_item.pricing.price_details": ["price"],
  invoice_payment: ["invoice"],
  "invoice_payment.payment": ["payment_intent", "charge"],
};

/** Properties Stripe only includes when expanded. */
const INCLUDABLE: Record<string, Record<string, (store: Store, account: Account, object: Json) => unknown>> = {
  "checkout.session": { line_items: (_store, account, session) => lineItemsList(account, session as CheckoutSession) },
  invoice: { payments: (store, account, invoice) => invoicePaymentsList(store, account, invoice as Invoice) },
};

const MAX_DEPTH = 4;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class Expander {
  constructor(
    private readonly store: Store,
    private readonly account: Account,
  ) {}

  /** A JSON copy of `body` with `paths` expanded. */
  response(body: object, paths: string[]): Json {
    for (const path of paths)
      if (path.split(".").length > MAX_DEPTH)
        throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, { param: "expand" });
    const copy = JSON.parse(JSON.stringify(body)) as Json;
    this.expand(copy, paths);
    return copy;
  }

  /** `type`: the object's own `object`, or for an embedded one its path from the nearest typed object. */
  private expand(object: Json, paths: string[], type = String(object.object)): void {
    if (object.object === "list" && Array.isArray(object.data)) {
      const itemPaths = paths.map((p) => {
        if (!p.startsWith("data.")) throw invalidRequest(`This property cannot be expanded (${p}).`, { param: "expand" });
        return p.slice("data.".length);
      });
      for (const item of object.data) if (isObject(item)) this.expand(item, itemPaths);
      return;
    }
    const byField = new Map<string, string[]>();
    for (const path of paths) {
      const [field, ...rest] = path.split(".");
      byField.set(field!, [...(byField.get(field!) ?? []), ...(rest.length ? [rest.join(".")] : [])]);
    }
    for (const [field, nested] of byField) {
      const value = this.expandField(object, type, field, nested.length > 0);
      if (nested.length > 0 && isObject(value))
        this.expand(value, nested, typeof value.object === "string" ? value.object : `${type}.${field}`);
    }
  }

  /** Expands one property; an embedded object is only traversed (for deeper paths). */
  private expandField(object: Json, type: string, field: string, traverse: boolean): unknown {
    const include = INCLUDABLE[type]?.[field];
    if (include) return (object[field] = JSON.parse(JSON.stringify(include(this.store, this.account, object))));
    const value = object[field];
    if (EXPANDABLE[type]?.includes(field)) {
      if (typeof value !== "string") return value;
      const target = this.store.byId(this.account, value);
      // Ids of objects the emulator does not keep (balance transactions, Checkout's one-off cards) stay ids.
      return target ? (object[field] = JSON.parse(JSON.stringify(target))) : value;
    }
    if (traverse && isObject(value)) return value;
    throw invalidRequest(`This property cannot be expanded (${field}).`, { param: "expand" });
  }
}
