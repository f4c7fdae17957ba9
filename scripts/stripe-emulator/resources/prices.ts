// price: https://docs.stripe.com/api/prices/object — create, retrieve, update, list (lookup_keys, product,
// active, type, currency). Also builds Checkout's inline prices (line_items[].price_data).
import { invalidParam, invalidRequest, missingParam } from "../errors.ts";
import { retrieve, route, type Ctx, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import { applyMetadata, type Metadata, type Params } from "../params.ts";
import { applyChanges, currencyParam, formatAmount } from "./common.ts";
import { createProduct } from "./products.ts";

type Interval = "day" | "month" | "week" | "year";
type Recurring = { aggregate_usage: null; interval: Interval; interval_count: number; usage_type: "licensed" | "metered" };
type TaxBehavior = "exclusive" | "inclusive" | "unspecified";

export function buildPrice(now: number, f: { currency: string; unitAmount: number; product: string; recurring: Recurring | null }) {
  return {
    id: newId("price"),
    object: "price" as const,
    active: true,
    billing_scheme: "per_unit" as const,
    created: now,
    currency: f.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null as string | null,
    metadata: {} as Metadata,
    nickname: null as string | null,
    product: f.product,
    recurring: f.recurring,
    tax_behavior: "unspecified" as TaxBehavior | null,
    tiers_mode: null,
    transform_quantity: null,
    type: f.recurring ? ("recurring" as const) : ("one_time" as const),
    unit_amount: f.unitAmount as number | null,
    unit_amount_decimal: String(f.unitAmount) as string | null,
  };
}
export type Price = ReturnType<typeof buildPrice>;

/** The legacy `plan` view of a recurring price, which subscription items still carry. */
export function planOf(price: Price) {
  return {
    id: price.id,
    object: "plan" as const,
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? "month",
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: { ...price.metadata } as Metadata | null,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: price.recurring?.usage_type ?? "licensed",
  };
}

/** "$29.00 / month", "$5.00 / 3 months"; without a cycle, the amount. */
export function amountPerCycle(amount: number, currency: string, cycle: { interval: string; interval_count: number } | null): string {
  const formatted = formatAmount(amount, currency);
  if (!cycle) return formatted;
  return cycle.interval_count === 1 ? `${formatted} / ${cycle.interval}` : `${formatted} / ${cycle.interval_count} ${cycle.interval}s`;
}

/** What `quantity` of the price costs per period: "$29.00 / month". */
export function priceLabel(price: Price, quantity = 1): string {
  return amountPerCycle((price.unit_amount ?? 0) * quantity, price.currency, price.recurring);
}

function recurringFrom(p: Params | undefined): Recurring | null {
  if (!p) return null;
  p.allowOnly(["interval", "interval_count", "usage_type"]);
  const interval = p.oneOf("interval", ["day", "week", "month", "year"] as const);
  if (!interval) throw missingParam(p.path("interval"));
  return {
    aggregate_usage: null,
    interval,
    interval_count: p.int("interval_count", { min: 1, max: 365 }) ?? 1,
    usage_type: p.oneOf("usage_type", ["licensed", "metered"] as const) ?? "licensed",
  };
}

function unitAmountFrom(p: Params): number {
  const amount = p.int("unit_amount", { min: 0 });
  if (amount !== undefined) return amount;
  const decimal = p.str("unit_amount_decimal");
  if (decimal === undefined) throw missingParam(p.path("unit_amount"));
  if (!/^\d+$/.test(decimal)) throw invalidParam(p.path("unit_amount_decimal"), "The emulator supports whole-unit amounts only.");
  return Number(decimal);
}

/**
 * Creates a price from `p` (/v1/prices params) and emits price.created — or, with `inline`, Checkout's
 * ad-hoc price from `price_data`: inactive, no events, and its `product_data` may carry a description.
 */
export function createPrice(ctx: Pick<Ctx, "emu" | "account" | "request">, p: Params, opts: { inline: boolean }): Price {
  const { emu, account } = ctx;
  const currency = currencyParam(p, "currency", true)!;
  const unitAmount = unitAmountFrom(p);
  const recurring = recurringFrom(p.obj("recurring"));
  const productId = p.str("product");
  const productData = p.obj("product_data");
  if (productId !== undefined && productData)
    throw invalidRequest("You may only specify one of these parameters: product, product_data.", { param: "product" });
  let product: string;
  if (productId !== undefined) product = emu.store.find(account, "product", productId, p.path("product")).id;
  else if (productData) {
    const keys = ["name", "metadata", "tax_code", "unit_label", "statement_descriptor", "active", "id"];
    productData.allowOnly(opts.inline ? [...keys, "description", "images"] : keys);
    product = createProduct(ctx, productData, { overrides: opts.inline ? { active: false } : {}, silent: opts.inline }).id;
  } else throw missingParam(p.path("product"));

  const price = buildPrice(account.clock.now(), { currency, unitAmount, product, recurring });
  price.tax_behavior = p.oneOf("tax_behavior", ["exclusive", "inclusive", "unspecified"] as const) ?? "unspecified";
  if (opts.inline) price.active = false;
  else {
    price.active = p.bool("active") ?? true;
    price.nickname = p.str("nickname") ?? null;
    price.metadata = p.newMetadata();
    setLookupKey(ctx, price, p);
  }
  emu.store.insert(account, price);
  if (!opts.inline) emu.emit(account, "price.created", price, { request: ctx.request });
  return price;
}

/** lookup_key is unique per account; `transfer_lookup_key=true` moves it from the price that has it. */
function setLookupKey(ctx: Pick<Ctx, "emu" | "account" | "request">, price: Price, p: Params): Record<string, unknown> {
  const lookupKey = p.nullableStr("lookup_key");
  if (lookupKey === undefined || lookupKey === price.lookup_key) return {};
  const holder = lookupKey === null ? undefined : ctx.emu.store.all(ctx.account, "price").find((other) => other.lookup_key === lookupKey);
  if (holder) {
    if (!p.bool("transfer_lookup_key"))
      throw invalidParam("lookup_key", `A price (\`${holder.id}\`) already uses that lookup key.`, "lookup_key_already_exists");
    const previous = applyChanges(holder, { lookup_key: null });
    ctx.emu.emit(ctx.account, "price.updated", holder, { previous, request: ctx.request });
  }
  return applyChanges(price, { lookup_key: lookupKey });
}

const CREATE = [
  "currency",
  "unit_amount",
  "unit_amount_decimal",
  "product",
  "product_data",
  "recurring",
  "metadata",
  "lookup_key",
  "transfer_lookup_key",
  "nickname",
  "active",
  "tax_behavior",
  "expand",
];

export const priceRoutes: Route[] = [
  route("POST", "/v1/prices", (ctx) => createPrice(ctx, ctx.params.allowOnly(CREATE), { inline: false })),
  route("GET", "/v1/prices/:id", retrieve("price")),
  route("POST", "/v1/prices/:id", (ctx) => {
    const { emu, account, path, params, request } = ctx;
    const price = emu.store.find(account, "price", path.id!);
    params.allowOnly(["active", "metadata", "nickname", "lookup_key", "transfer_lookup_key", "tax_behavior", "expand"]);
    const previous = {
      ...setLookupKey(ctx, price, params),
      ...applyChanges(price, {
        active: params.bool("active"),
        nickname: params.nullableStr("nickname"),
        tax_behavior: params.oneOf("tax_behavior", ["exclusive", "inclusive", "unspecified"] as const),
        metadata: params.has("metadata") ? applyMetadata(price.metadata, params.metadata()) : undefined,
      }),
    };
    if (Object.keys(previous).length > 0) emu.emit(account, "price.updated", price, { previous, request });
    return price;
  }),
  route("GET", "/v1/prices", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "active", "currency", "product", "type", "lookup_keys"]);
    const active = params.bool("active");
    const currency = currencyParam(params);
    const product = params.str("product");
    const type = params.oneOf("type", ["one_time", "recurring"] as const);
    const lookupKeys = params.strList("lookup_keys");
    const created = createdFilter(params);
    const prices = emu.store
      .newestFirst(account, "price")
      .filter(
        (p) =>
          (active === undefined || p.active === active) &&
          (currency === undefined || p.currency === currency) &&
          (product === undefined || p.product === product) &&
          (type === undefined || p.type === type) &&
          (lookupKeys.length === 0 || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))) &&
          created(p),
      );
    return paginate(prices, params, "/v1/prices");
  }),
];
