/**
 * The operator overview's time ranges (/admin): what the tabs offer and how a `range` query value is
 * read. Pure, so the tabs (a client component) can import it; the figures are lib/admin/overview.ts.
 */
export const RANGES = {
  day: { days: 1, label: "Today", description: "today since 00:00 UTC, by hour" },
  week: { days: 7, label: "7 days", description: "the last 7 days (UTC), by day" },
  month: { days: 30, label: "30 days", description: "the last 30 days (UTC), by day" },
} as const;
export type Range = keyof typeof RANGES;
export const DEFAULT_RANGE: Range = "week";

export function parseRange(value: unknown): Range {
  return value === "day" || value === "week" || value === "month" ? value : DEFAULT_RANGE;
}
