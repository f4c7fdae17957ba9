import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { Prisma } from "@/lib/generated/prisma/client";
import { creditPeriod, type BillingInterval, type Period } from "@/lib/credits";
import { CATEGORIES, type Category } from "@/lib/pricing/categories";
import { formatUtcDay, formatUtcMonth, formatUtcMonthDay } from "@/lib/format";
import { utcDayStart } from "@/lib/usage/params";
import type { UsageFilters } from "@/lib/usage/query";

/**
 * Past credit periods (issue 18, "Past periods"): which earlier periods a workspace used credits in,
 * what a `?period=YYYY-MM-DD` in the URL names, and a period's (or any range's) usage summed in SQL by
 * day (or month) and category. Periods are the workspace's current ones (lib/credits/periods.ts):
 * calendar months, or months from an annual plan's renewal day. Every query names the workspace and
 * bounds "createdAt", so it is served by the (workspaceId, createdAt) index family.
 */

const DAY_MS = 86_400_000;
/** How many earlier periods the pickers offer. */
export const PAST_PERIODS = 12;

export type PeriodClock = { interval: BillingInterval; anchor: Date; at: Date };

/** "2026-11-01": a period's (or any instant's) UTC day. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The period right before `period`. */
export function previousPeriod(period: Period, clock: Pick<PeriodClock, "interval" | "anchor">): Period {
  return creditPeriod(new Date(period.start.getTime() - 1), clock.interval, clock.anchor);
}

/** "November 2026" for a calendar month; "Oct 15 – Nov 14, 2026" for an annual plan's month. */
export function periodLabel(period: Period): string {
  const s = period.start;
  if (s.getUTCDate() === 1 && period.end.getTime() === Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1)) {
    return formatUtcMonth(s, true);
  }
  const last = new Date(period.end.getTime() - DAY_MS);
  const first = s.getUTCFullYear() === last.getUTCFullYear() ? formatUtcMonthDay(s) : formatUtcDay(s);
  return `${first} – ${formatUtcDay(last.toISOString())}`;
}

/** The days the usage history's from/to filters take for a period: its first and its last UTC day, both inclusive. */
export function periodDays(period: Period): { from: string; to: string } {
  return { from: utcDay(period.start), to: utcDay(new Date(period.end.getTime() - DAY_MS)) };
}

export type PeriodChoice =
  | { kind: "current" }
  | { kind: "past"; period: Period }
  /** A value that names no earlier period: the current one is shown, with this note. */
  | { kind: "invalid"; note: string };

/**
 * What `?period=` names: the start day (YYYY-MM-DD, UTC) of a period before the current one. Blank, or
 * the current period's own start, is the current period; anything else is refused with a note, never
 * guessed at (a day inside a period is not its start).
 */
export function parsePeriodParam(raw: string | string[] | undefined | null, clock: PeriodClock): PeriodChoice {
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  if (!value) return { kind: "current" };
  const shown = value.slice(0, 40);
  const start = utcDayStart(value);
  if (!start) return { kind: "invalid", note: `“${shown}” is not a day (YYYY-MM-DD), so the current period is shown.` };
  const current = creditPeriod(clock.at, clock.interval, clock.anchor);
  if (start.getTime() === current.start.getTime()) return { kind: "current" };
  if (start > current.start)
    return {
      kind: "invalid",
      note: `The period starting ${formatUtcDay(start.toISOString())} has not begun yet, so the current period is shown.`,
    };
  const period = creditPeriod(start, clock.interval, clock.anchor);
  if (period.start.getTime() !== start.getTime()) {
    return {
      kind: "invalid",
      note: `No credit period starts on ${formatUtcDay(start.toISOString())} (it is inside ${periodLabel(period)}), so the current period is shown.`,
    };
  }
  return { kind: "past", period };
}

/** The workspace's period clock now: its billing interval and anchor. */
export async function periodClock(workspaceId: string, at: Date = now()): Promise<PeriodClock> {
  const w = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { billingInterval: true, periodAnchor: true } });
  return { interval: w.billingInterval, anchor: w.periodAnchor, at };
}

/**
 * The latest `limit` periods before the current one in which the workspace recorded any usage event,
 * newest first. One short index probe per period found (the newest event before a bound, read
 * backwards on (workspaceId, createdAt)), however long the history: empty periods are skipped.
 */
export async function usedPeriods(workspaceId: string, clock: PeriodClock, limit = PAST_PERIODS): Promise<Period[]> {
  const found: Period[] = [];
  let before = creditPeriod(clock.at, clock.interval, clock.anchor).start;
  while (found.length < limit) {
    const latest = await db.usageEvent.findFirst({
      where: { workspaceId, createdAt: { lt: before } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    if (!latest) break;
    const period = creditPeriod(latest.createdAt, clock.interval, clock.anchor);
    found.push(period);
    before = period.start;
  }
  return found;
}

export type UsageSummary = {
  /** Credits charged: completed events (net of refunds: a refunded event is no longer completed). */
  credits: number;
  /** Completed (charged) events. */
  events: number;
  /** Every event recorded in the range, whatever became of it (held, queued, released, refunded…). */
  recorded: number;
  /** Of `credits`: drawn from no grant (Enterprise), and paid in USDC with x402 instead. */
  unmetered: { credits: number; events: number };
  x402: { credits: number; events: number };
  /** By category, in display order (the billing panel's shape). */
  breakdown: { category: Category; credits: number; events: number }[];
  /** Credits charged per bucket (UTC day, or month) that had usage, by category (the billing panel's shape). */
  daily: { day: string; credits: Record<Category, number> }[];
};

type SeriesRow = {
  bucket: string;
  category: Category;
  recorded: number;
  events: number;
  credits: bigint;
  unmetered: bigint;
  unmeteredEvents: number;
  x402: bigint;
  x402Events: number;
};

/** The raw-SQL twin of usageWhere's filters (lib/usage/query.ts): the workspace first, then each filter given. */
function filterSql(workspaceId: string, filters: UsageFilters): Prisma.Sql {
  const parts = [Prisma.sql`e."workspaceId" = ${workspaceId}`];
  if (filters.from) parts.push(Prisma.sql`e."createdAt" >= ${filters.from}`);
  if (filters.to) parts.push(Prisma.sql`e."createdAt" < ${filters.to}`);
  if (filters.action) parts.push(Prisma.sql`e."actionKey" = ${filters.action}`);
  if (filters.status) parts.push(Prisma.sql`e.status = ${filters.status}::"UsageStatus"`);
  if (filters.userId) parts.push(Prisma.sql`e."userId" = ${filters.userId}`);
  if (filters.apiClientId) parts.push(Prisma.sql`e."apiClientId" = ${filters.apiClientId}`);
  return Prisma.join(parts, " AND ");
}

export type Bucket = "day" | "month";

/**
 * The events matching the filters summed by UTC day (or month) and category, in one grouped query. An
 * x402 payment is an unmetered event whose UNMETERED ledger entry names its transaction (lib/credits/paid.ts);
 * that entry is looked up (index on usageEventId) for unmetered completed events only.
 */
export async function usageSummary(workspaceId: string, filters: UsageFilters, bucket: Bucket = "day"): Promise<UsageSummary> {
  const unit = bucket === "month" ? Prisma.sql`'month'` : Prisma.sql`'day'`;
  const rows = await db.$queryRaw<SeriesRow[]>`
    SELECT to_char(date_trunc(${unit}, t."createdAt"), 'YYYY-MM-DD') AS bucket, t.category::text AS category,
           count(*)::int AS recorded,
           count(*) FILTER (WHERE t.charged)::int AS events,
           coalesce(sum(t.credits) FILTER (WHERE t.charged), 0)::bigint AS credits,
           coalesce(sum(t.credits) FILTER (WHERE t.charged AND t.unmetered AND NOT t.x402), 0)::bigint AS unmetered,
           count(*) FILTER (WHERE t.charged AND t.unmetered AND NOT t.x402)::int AS "unmeteredEvents",
           coalesce(sum(t.credits) FILTER (WHERE t.charged AND t.x402), 0)::bigint AS x402,
           count(*) FILTER (WHERE t.charged AND t.x402)::int AS "x402Events"
      FROM (SELECT e."createdAt", e.category, e.credits, e.unmetered, e.status = 'COMPLETED' AS charged,
                   CASE WHEN e.unmetered AND e.status = 'COMPLETED'
                        THEN EXISTS (SELECT 1 FROM "LedgerEntry" l
                                      WHERE l."usageEventId" = e.id AND l."workspaceId" = e."workspaceId"
                                        AND l.kind = 'UNMETERED' AND l.reference IS NOT NULL)
                        ELSE false END AS x402
              FROM "UsageEvent" e
             WHERE ${filterSql(workspaceId, filters)}) t
     GROUP BY 1, 2
     ORDER BY 1`;
  const zero = () => Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const byCategory = new Map(CATEGORIES.map((c) => [c, { category: c, credits: 0, events: 0 }]));
  const daily = new Map<string, Record<Category, number>>();
  const summary: UsageSummary = {
    credits: 0,
    events: 0,
    recorded: 0,
    unmetered: { credits: 0, events: 0 },
    x402: { credits: 0, events: 0 },
    breakdown: [],
    daily: [],
  };
  for (const r of rows) {
    const credits = Number(r.credits);
    const cat = byCategory.get(r.category)!;
    cat.credits += credits;
    cat.events += r.events;
    summary.credits += credits;
    summary.events += r.events;
    summary.recorded += r.recorded;
    summary.unmetered.credits += Number(r.unmetered);
    summary.unmetered.events += r.unmeteredEvents;
    summary.x402.credits += Number(r.x402);
    summary.x402.events += r.x402Events;
    const day = daily.get(r.bucket) ?? zero();
    day[r.category] += credits;
    daily.set(r.bucket, day);
  }
  summary.breakdown = [...byCategory.values()];
  summary.daily = [...daily].map(([day, credits]) => ({ day, credits }));
  return summary;
}

export type PastPeriodView = {
  /** The periods offered (newest first), with the values `?period=` takes. */
  options: { value: string; label: string }[];
  /** The period shown and its summary, when it is an earlier one. */
  past: { value: string; label: string; start: string; end: string; usage: UsageSummary; history: { from: string; to: string } } | null;
  /** Why the value in the URL was not used. */
  note: string | null;
};

/** Everything the billing page's period picker and past-period summary need, from `?period=`. */
export async function pastPeriodView(workspaceId: string, raw: string | string[] | undefined): Promise<PastPeriodView> {
  const clock = await periodClock(workspaceId);
  const choice = parsePeriodParam(raw, clock);
  const periods = await usedPeriods(workspaceId, clock);
  const options = periods.map((p) => ({ value: utcDay(p.start), label: periodLabel(p) }));
  if (choice.kind !== "past") return { options, past: null, note: choice.kind === "invalid" ? choice.note : null };
  const { period } = choice;
  const value = utcDay(period.start);
  if (!options.some((o) => o.value === value)) options.push({ value, label: periodLabel(period) }); // an older or empty period named in the URL
  return {
    options,
    past: {
      value,
      label: periodLabel(period),
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      usage: await usageSummary(workspaceId, { from: period.start, to: period.end }),
      history: periodDays(period),
    },
    note: null,
  };
}

export type QuickPick = { label: string; from: string; to: string };

/** The usage history's quick ranges: this period, the last one, and earlier periods that had usage. */
export async function quickPicks(workspaceId: string, earlier = 4): Promise<QuickPick[]> {
  const clock = await periodClock(workspaceId);
  const current = creditPeriod(clock.at, clock.interval, clock.anchor);
  const last = previousPeriod(current, clock);
  const used = await usedPeriods(workspaceId, { ...clock, at: last.start }, earlier);
  return [
    { label: "This period", ...periodDays(current) },
    { label: "Last period", ...periodDays(last) },
    ...used.map((p) => ({ label: periodLabel(p), ...periodDays(p) })),
  ];
}

/**
 * The buckets of a chart over [from, to): every UTC day when the range is at most `maxDays` long,
 * otherwise every month (each labelled by its first day), so a long range stays readable.
 */
export function chartBuckets(from: Date, to: Date, maxDays = 62): { bucket: Bucket; keys: string[] } {
  const keys: string[] = [];
  if (to.getTime() - from.getTime() <= maxDays * DAY_MS) {
    for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t < to.getTime(); t += DAY_MS)
      keys.push(utcDay(new Date(t)));
    return { bucket: "day", keys };
  }
  for (
    let m = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    m < to;
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  )
    keys.push(utcDay(m));
  return { bucket: "month", keys };
}

/**
 * The usage history's chart: the events matching the filters by day (or month, for a long range) and
 * category, over the filters' range; an open end is today, an open start the first matching event.
 */
export async function rangeChart(
  workspaceId: string,
  filters: UsageFilters,
): Promise<{ bucket: Bucket; keys: string[]; usage: UsageSummary } | null> {
  const at = now();
  let from = filters.from;
  if (!from) {
    const first = await db.usageEvent.findFirst({
      where: { workspaceId, ...(filters.to ? { createdAt: { lt: filters.to } } : {}) },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    if (!first) return null;
    from = first.createdAt;
  }
  const to = filters.to ?? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
  if (to <= from) return null;
  const { bucket, keys } = chartBuckets(from, to);
  return { bucket, keys, usage: await usageSummary(workspaceId, filters, bucket) };
}
