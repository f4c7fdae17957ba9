// product: https://docs.stripe.com/api/products/object — create, retrieve, update, list.
import { invalidRequest } from "../errors.ts";
import { retrieve, route, type Ctx, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import { applyMetadata, type Metadata, type Params } from "../params.ts";
import { applyChanges } from "./common.ts";

export function buildProduct(now: number, f: { id?: string; name: string }) {
  return {
    id: f.id ?? newId("product"),
    object: "product" as const,
    active: true,
    created: now,
    default_price: null as string | null,
    description: null as string | null,
    images: [] as string[],
    livemode: false,
    marketing_features: [] as { name: string }[],
    metadata: {} as Metadata,
    name: f.name,
    package_dimensions: null,
    shippable: null as boolean | null,
    statement_descriptor: null as string | null,
    tax_code: null as string | null,
    unit_label: null as string | null,
    updated: now,
    url: null as string | null,
  };
}
export type Product = ReturnType<typeof buildProduct>;

/** The product fields create and update share (and Checkout's / prices' product_data). */
export function productFields(p: Params, current: Product | null): Partial<Product> {
  const next: Partial<Product> = {};
  const name = p.str("name", { max: 250 });
  if (name !== undefined) next.name = name;
  for (const key of ["description", "statement_descriptor", "tax_code", "unit_label", "url"] as const) {
    const value = p.nullableStr(key);
    if (value !== undefined) next[key] = value;
  }
  const active = p.bool("active");
  if (active !== undefined) next.active = active;
  const shippable = p.bool("shippable");
  if (shippable !== undefined) next.shippable = shippable;
  if (p.has("images")) next.images = p.strList("images");
  if (p.has("marketing_features")) next.marketing_features = p.list("marketing_features").map((f) => ({ name: f.requireStr("name") }));
  if (p.has("metadata")) next.metadata = applyMetadata(current?.metadata ?? {}, p.metadata());
  return next;
}

/** Creates a product from `p` (name required) and emits product.created (unless `silent`: Checkout's ad-hoc products). */
export function createProduct(
  ctx: Pick<Ctx, "emu" | "account" | "request">,
  p: Params,
  opts: { overrides?: Partial<Product>; silent?: boolean } = {},
): Product {
  const { emu, account } = ctx;
  const id = p.str("id");
  if (id !== undefined && emu.store.byId(account, id))
    throw invalidRequest("Product already exists.", { code: "resource_already_exists", param: "id" });
  const product = buildProduct(account.clock.now(), { id, name: p.requireStr("name") });
  applyChanges(product, { ...productFields(p, null), ...opts.overrides });
  emu.store.insert(account, product);
  if (!opts.silent) emu.emit(account, "product.created", product, { request: ctx.request });
  return product;
}

const FIELDS = [
  "name",
  "description",
  "statement_descriptor",
  "tax_code",
  "unit_label",
  "url",
  "active",
  "shippable",
  "images",
  "marketing_features",
  "metadata",
  "expand",
];

export const productRoutes: Route[] = [
  route("POST", "/v1/products", (ctx) => createProduct(ctx, ctx.params.allowOnly([...FIELDS, "id"]))),
  route("GET", "/v1/products/:id", retrieve("product")),
  route("POST", "/v1/products/:id", ({ emu, account, path, params, request }) => {
    const product = emu.store.find(account, "product", path.id!);
    params.allowOnly([...FIELDS, "default_price"]);
    const next = productFields(params, product);
    const defaultPrice = params.str("default_price");
    if (defaultPrice !== undefined) next.default_price = emu.store.find(account, "price", defaultPrice, "default_price").id;
    const previous = applyChanges(product, next);
    if (Object.keys(previous).length > 0) {
      product.updated = account.clock.now();
      emu.emit(account, "product.updated", product, { previous, request });
    }
    return product;
  }),
  route("GET", "/v1/products", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "active", "ids"]);
    const active = params.bool("active");
    const ids = params.strList("ids");
    const created = createdFilter(params);
    const products = emu.store
      .newestFirst(account, "product")
      .filter((p) => (active === undefined || p.active === active) && (ids.length === 0 || ids.includes(p.id)) && created(p));
    return paginate(products, params, "/v1/products");
  }),
];
