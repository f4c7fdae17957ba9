/**
 * The usage history's URL query (Settings → Usage and its CSV export; read by lib/usage/params.ts):
 *   from, to  — days as YYYY-MM-DD, in UTC (00:00 to 24:00 UTC, the days billing counts); both inclusive
 *   action    — an action key of the price table
 *   status    — completed | queued | held | released | refunded ("pending" is read as held; "rejected",
 *               from links made before that filter was removed, shows every status with a note)
 *   member    — the user id of the member who caused the events
 *   key       — the id of the API key that caused them
 *   group     — how the breakdown groups the events: action | member | key (blank: by member or API key
 *               together); it filters nothing, and a value that is not a grouping is left out with a note
 *   before, after — page cursors (the page only)
 * Values that cannot be used are reported in `problems` and left out, never guessed at; values that
 * are merely retired are left out with a note in `notes` (the CSV export goes ahead).
 * Pure: client components build their links with `historySearch`.
 */
export type HistoryForm = { from: string; to: string; action: string; status: string; member: string; key: string; group: string };

/** The breakdown's groupings besides the default (member or API key together). */
export const USAGE_GROUPS = ["action", "member", "key"] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** The grouping a `group` value names, or null for the default (blank or not a grouping). */
export function parseGroup(value: string): UsageGroup | null {
  return (USAGE_GROUPS as readonly string[]).includes(value) ? (value as UsageGroup) : null;
}

/** The query string of a history URL for these filters (and a page cursor). */
export function historySearch(form: HistoryForm, page?: { before?: string; after?: string }): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value) search.set(key, value);
  if (page?.before) search.set("before", page.before);
  if (page?.after) search.set("after", page.after);
  const s = search.toString();
  return s ? `?${s}` : "";
}
