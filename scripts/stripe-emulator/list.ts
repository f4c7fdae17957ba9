// Stripe list objects and cursor pagination (limit, starting_after, ending_before), shared by every
// list endpoint, and the `created` filter (created=… or created[gt|gte|lt|lte]=…).
import { invalidRequest } from "./errors.ts";
import type { Params } from "./params.ts";

export type ListObject<T> = { object: "list"; data: T[]; has_more: boolean; url: string };

export const LIST_PARAMS = ["limit", "starting_after", "ending_before", "expand", "created"] as const;

export function listOf<T>(data: T[], url: string, hasMore = false): ListObject<T> {
  return { object: "list", data, has_more: hasMore, url };
}

/** `items` in the order the list shows them (newest first for resources, given order for line items). */
export function paginate<T extends { id: string }>(items: T[], params: Params, url: string): ListObject<T> {
  const limit = params.int("limit", { min: 1, max: 100 }) ?? 10;
  const startingAfter = params.str("starting_after");
  const endingBefore = params.str("ending_before");
  const cursorIndex = (id: string, param: string) => {
    const i = items.findIndex((item) => item.id === id);
    if (i < 0) throw invalidRequest(`No such object: '${id}'`, { code: "resource_missing", param, status: 404 });
    return i;
  };
  if (startingAfter !== undefined) {
    const rest = items.slice(cursorIndex(startingAfter, "starting_after") + 1);
    return listOf(rest.slice(0, limit), url, rest.length > limit);
  }
  if (endingBefore !== undefined) {
    const before = items.slice(0, cursorIndex(endingBefore, "ending_before"));
    return listOf(before.slice(-limit), url, before.length > limit);
  }
  return listOf(items.slice(0, limit), url, items.length > limit);
}

/** The `created` filter: an exact unix time or a range object. */
export function createdFilter(params: Params, key = "created"): (item: { created: number }) => boolean {
  const exact = typeof params.values[key] === "string" ? params.int(key) : undefined;
  const range = exact === undefined ? params.obj(key) : undefined;
  const bounds = range?.allowOnly(["gt", "gte", "lt", "lte"]);
  const gt = bounds?.int("gt");
  const gte = bounds?.int("gte");
  const lt = bounds?.int("lt");
  const lte = bounds?.int("lte");
  return ({ created }) =>
    (exact === undefined || created === exact) &&
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}
