// customer: https://docs.stripe.com/api/customers/object — create, retrieve, update (with
// invoice_settings[default_payment_method]: a stored card or a test id such as pm_card_visa), list.
import { retrieve, route, type Ctx, type Route } from "../emulator.ts";
import { newId, randomChars } from "../ids.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import { applyMetadata, type Metadata, type Params } from "../params.ts";
import { addressFrom, applyChanges, type Address } from "./common.ts";
import { paymentMethodFor } from "./payment-methods.ts";

type TaxExempt = "exempt" | "none" | "reverse";

export function buildCustomer(now: number) {
  return {
    id: newId("customer"),
    object: "customer" as const,
    address: null as Address | null,
    balance: 0,
    cash_balance: null,
    created: now,
    currency: null as string | null,
    customer_account: null,
    default_source: null,
    delinquent: false as boolean | null,
    description: null as string | null,
    discount: null,
    email: null as string | null,
    invoice_prefix: randomChars(8).toUpperCase() as string | null,
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null as string | null,
      footer: null as string | null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {} as Metadata,
    name: null as string | null,
    next_invoice_sequence: 1,
    phone: null as string | null,
    preferred_locales: [] as string[] | null,
    shipping: null,
    tax_exempt: "none" as TaxExempt | null,
    test_clock: null,
  };
}
export type Customer = ReturnType<typeof buildCustomer>;

const FIELDS = ["email", "name", "description", "phone", "metadata", "address", "preferred_locales", "tax_exempt", "expand"] as const;

/** The fields create and update share; undefined = not sent. */
function customerFields(p: Params, current: Customer | null): Partial<Customer> {
  const next: Partial<Customer> = {};
  for (const key of ["email", "name", "description", "phone"] as const) {
    const value = p.nullableStr(key);
    if (value !== undefined) next[key] = value;
  }
  if (p.has("address")) next.address = addressFrom(p.obj("address"));
  if (p.has("preferred_locales")) next.preferred_locales = p.strList("preferred_locales");
  const taxExempt = p.oneOf("tax_exempt", ["exempt", "none", "reverse"] as const);
  if (taxExempt) next.tax_exempt = taxExempt;
  if (p.has("metadata")) next.metadata = applyMetadata(current?.metadata ?? {}, p.metadata());
  return next;
}

/** invoice_settings on update; a new default payment method is attached first (payment_method.attached). */
function invoiceSettingsFrom(ctx: Ctx, customer: Customer): Customer["invoice_settings"] | undefined {
  const p = ctx.params.obj("invoice_settings")?.allowOnly(["default_payment_method", "footer", "custom_fields", "rendering_options"]);
  if (!p) return undefined;
  const pmId = p.nullableStr("default_payment_method");
  const footer = p.nullableStr("footer");
  const settings = { ...customer.invoice_settings };
  if (pmId !== undefined)
    settings.default_payment_method = pmId && paymentMethodFor(ctx, customer, pmId, p.path("default_payment_method")).id;
  if (footer !== undefined) settings.footer = footer;
  return settings;
}

/** Creates a customer and emits customer.created (used by the API and by Checkout). */
export function createCustomer(ctx: Pick<Ctx, "emu" | "account" | "request">, fields: Partial<Customer>): Customer {
  const { emu, account } = ctx;
  const customer = emu.store.insert(account, buildCustomer(account.clock.now()));
  applyChanges(customer, fields);
  emu.emit(account, "customer.created", customer, { request: ctx.request });
  return customer;
}

export const customerRoutes: Route[] = [
  route("POST", "/v1/customers", (ctx) => createCustomer(ctx, customerFields(ctx.params.allowOnly(FIELDS), null))),
  route("GET", "/v1/customers/:id", retrieve("customer")),
  route("POST", "/v1/customers/:id", (ctx) => {
    const { emu, account, path, params, request } = ctx;
    const customer = emu.store.find(account, "customer", path.id!);
    const fields = customerFields(params.allowOnly([...FIELDS, "invoice_settings"]), customer);
    const previous = applyChanges(customer, { ...fields, invoice_settings: invoiceSettingsFrom(ctx, customer) });
    if (Object.keys(previous).length > 0) emu.emit(account, "customer.updated", customer, { previous, request });
    return customer;
  }),
  route("GET", "/v1/customers", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "email"]);
    const email = params.str("email");
    const created = createdFilter(params);
    const customers = emu.store.newestFirst(account, "customer").filter((c) => (email === undefined || c.email === email) && created(c));
    return paginate(customers, params, "/v1/customers");
  }),
];
