import { FILTER_STATUSES, HISTORY_STATUSES, type FilterStatus } from "@/lib/usage/labels";
import { decodeCursor, type UsageCursor, type UsageFilters } from "@/lib/usage/query";
import { parseGroup, type HistoryForm, type UsageGroup } from "@/lib/usage/search";

/**
 * Reads the usage history's URL query (its fields: lib/usage/search.ts), for the page and the CSV export
 * alike, so both apply the same filters. Server-side: page cursors are decoded here.
 */

/** Who may be named by the member and key filters: the workspace's people and keys (usageAttribution). */
export type AttributionIds = { members: Iterable<string>; keys: Iterable<string> };
export type HistoryQuery = {
  /** What the filter form shows (as the user typed it). */
  form: HistoryForm;
  /** The values in force (the unusable ones blanked): what page links and the export carry on. */
  applied: HistoryForm;
  filters: UsageFilters;
  /** How the breakdown groups the events (null: by member or API key together). */
  group: UsageGroup | null;
  /** Whether any filter is applied. */
  filtered: boolean;
  before?: UsageCursor;
  after?: UsageCursor;
  problems: { field: keyof HistoryForm | "cursor"; message: string }[];
  /** Harmless things to tell the viewer (a retired filter value was left out). */
  notes: string[];
};

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: Params, key: string): string {
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 00:00 UTC of a YYYY-MM-DD day, or null when it is not a real calendar day. */
export function utcDayStart(day: string): Date | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : null;
}

export function parseHistoryQuery(
  params: Params,
  actionKeys: Iterable<string>,
  attribution: AttributionIds = { members: [], keys: [] },
): HistoryQuery {
  const form: HistoryForm = {
    from: read(params, "from"),
    to: read(params, "to"),
    action: read(params, "action"),
    status: read(params, "status").toLowerCase(),
    member: read(params, "member"),
    key: read(params, "key"),
    group: read(params, "group").toLowerCase(),
  };
  const problems: HistoryQuery["problems"] = [];
  const notes: string[] = [];
  const filters: UsageFilters = {};

  const from = form.from ? utcDayStart(form.from) : null;
  if (form.from && !from) problems.push({ field: "from", message: "Enter the “From” day as YYYY-MM-DD." });
  if (from) filters.from = from;
  const toStart = form.to ? utcDayStart(form.to) : null;
  if (form.to && !toStart) problems.push({ field: "to", message: "Enter the “To” day as YYYY-MM-DD." });
  if (toStart) filters.to = new Date(toStart.getTime() + 86_400_000); // the whole "to" day
  if (from && toStart && from > toStart) problems.push({ field: "to", message: "“To” is before “From”, so no day is in the range." });

  if (form.action) {
    if (new Set(actionKeys).has(form.action)) filters.action = form.action;
    else problems.push({ field: "action", message: `There is no action “${form.action.slice(0, 100)}” in the price table.` });
  }

  if (form.status === "pending") form.status = "held";
  if (form.status) {
    if ((FILTER_STATUSES as readonly string[]).includes(form.status)) filters.status = HISTORY_STATUSES[form.status as FilterStatus];
    else problems.push({ field: "status", message: `“${form.status.slice(0, 40)}” is not a status.` });
  }

  if (form.member) {
    if (new Set(attribution.members).has(form.member)) filters.userId = form.member;
    else problems.push({ field: "member", message: "That member is not in this workspace's usage." });
  }
  if (form.key) {
    if (new Set(attribution.keys).has(form.key)) filters.apiClientId = form.key;
    else problems.push({ field: "key", message: "That API key is not in this workspace's usage." });
  }

  const group = parseGroup(form.group);
  if (form.group && !group) {
    notes.push(`“${form.group.slice(0, 40)}” is not a way to group the breakdown: showing it by member or API key.`);
    form.group = "";
  }

  const applied: HistoryForm = {
    from: filters.from ? form.from : "",
    to: filters.to ? form.to : "",
    action: filters.action ? form.action : "",
    status: filters.status ? form.status : "",
    member: filters.userId ? form.member : "",
    key: filters.apiClientId ? form.key : "",
    group: group ?? "",
  };
  const query: HistoryQuery = { form, applied, filters, group, filtered: Object.keys(filters).length > 0, problems, notes };
  for (const key of ["before", "after"] as const) {
    const cursor = read(params, key);
    if (!cursor) continue;
    try {
      query[key] = decodeCursor(cursor);
    } catch {
      problems.push({ field: "cursor", message: "That page link is no longer valid; showing the newest events." });
    }
  }
  if (query.before && query.after) delete query.after;
  return query;
}
