// The subscriptions API: retrieve, list, update, cancel, and GET /v1/subscription_items. The object is
// resources/subscriptions.ts; changes are billing/changes.ts.
import { cancelSubscription, parseUpdate, updateSubscription } from "../billing/changes.ts";
import { retrieve, route, type Route } from "../emulator.ts";
import { missingParam } from "../errors.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import type { Subscription } from "./subscriptions.ts";

const LIST_STATUSES = [
  "active",
  "all",
  "canceled",
  "ended",
  "incomplete",
  "incomplete_expired",
  "past_due",
  "paused",
  "trialing",
  "unpaid",
] as const;

/** `status` of subscriptions.list: none = every subscription but canceled ones, as Stripe lists. */
function statusFilter(status: (typeof LIST_STATUSES)[number] | undefined): (sub: Subscription) => boolean {
  if (status === undefined) return (sub) => sub.status !== "canceled";
  if (status === "all") return () => true;
  if (status === "ended") return (sub) => sub.status === "canceled" || sub.status === "incomplete_expired";
  return (sub) => sub.status === status;
}

export const subscriptionRoutes: Route[] = [
  route("GET", "/v1/subscriptions/:id", retrieve("subscription")),
  route("GET", "/v1/subscriptions", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "customer", "price", "status"]);
    const customer = params.str("customer");
    const price = params.str("price");
    const status = statusFilter(params.oneOf("status", LIST_STATUSES));
    const created = createdFilter(params);
    const subscriptions = emu.store
      .newestFirst(account, "subscription")
      .filter(
        (s) =>
          (customer === undefined || s.customer === customer) &&
          (price === undefined || s.items.data.some((i) => i.price.id === price)) &&
          status(s) &&
          created(s),
      );
    return paginate(subscriptions, params, "/v1/subscriptions");
  }),
  route("POST", "/v1/subscriptions/:id", (ctx) => {
    const sub = ctx.emu.store.find(ctx.account, "subscription", ctx.path.id!);
    return updateSubscription(ctx, sub, parseUpdate(ctx, sub));
  }),
  route("DELETE", "/v1/subscriptions/:id", (ctx) => {
    ctx.params.allowOnly(["cancellation_details", "invoice_now", "prorate", "expand"]);
    return cancelSubscription(ctx, ctx.emu.store.find(ctx.account, "subscription", ctx.path.id!));
  }),
  route("GET", "/v1/subscription_items", ({ emu, account, params }) => {
    params.allowOnly(["subscription", "limit", "starting_after", "ending_before", "expand"]);
    const id = params.str("subscription");
    if (id === undefined) throw missingParam("subscription");
    const sub = emu.store.find(account, "subscription", id, "subscription");
    return paginate(sub.items.data, params, "/v1/subscription_items");
  }),
];
