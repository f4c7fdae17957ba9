import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { CATEGORIES, type Category } from "@/lib/pricing/categories";
import { revenueSince, type Revenue } from "@/lib/admin/revenue";
import { countFailedStripeEvents } from "@/lib/admin/stripe-events";
import { RANGES, type Range } from "@/lib/admin/ranges";

/**
 * The operator overview: credits consumed across every workspace by category (UsageRollup: one row per
 * workspace, UTC day and category, written by each charge and refund) and by action (UsageEvent, the only
 * place that knows the action), the top workspaces, and the work waiting (queued events, failing
 * webhooks).
 *
 * Cost. Every figure over a range scans that range's rollups or events, which grows with traffic. Past
 * UTC days barely change, so their aggregates are computed once per range and kept in this process for
 * CLOSED_DAYS_TTL_MS (served stale while a refresh runs); only today is read live on each request. A
 * refund, a queued event charged or a reservation committed later shows in past days' figures within
 * that time; today's figures are always exact.
 */

export const CLOSED_DAYS_TTL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type Figures = { credits: number; events: number };
type ByCategory = Record<Category, number>;

export type Overview = {
  range: Range;
  /** Start of the range (00:00 UTC of its first day) and the instant the figures were read. */
  from: string;
  asOf: string;
  bucket: "hour" | "day";
  /** Credits per bucket (hour or UTC day), by category; every bucket of the range, zero or not. */
  series: { start: string; credits: ByCategory }[];
  categories: ({ category: Category } & Figures)[];
  actions: ({ actionKey: string; name: string; category: Category } & Figures)[];
  total: Figures;
  /** Same-named workspaces are told apart by their first owner's email and a short id. */
  topWorkspaces: { id: string; shortId: string; name: string; ownerEmail: string | null; planName: string; credits: number }[];
  /** Workspaces that consumed credits in the range. */
  activeWorkspaces: number;
  queued: Figures;
  failedWebhooks: number;
  /** Stripe events whose processing failed and that no retry has fixed yet. */
  failedStripeEvents: number;
  revenue: Revenue;
  /** The range has past days, whose figures may be up to CLOSED_DAYS_TTL_MS old. */
  hasPastDays: boolean;
};

function zeroes(): ByCategory {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as ByCategory;
}

function utcDay(t: Date | number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

// ───────────────────────────── the figures of a span of days ─────────────────────────────

type Part = {
  /** Credits and events per UTC day, by category. */
  days: Map<string, Record<Category, Figures>>;
  actions: Map<string, { category: Category } & Figures>;
  workspaces: Map<string, number>;
  /** Credits per hour by category (only when asked for: today). */
  hours: Map<number, ByCategory>;
};

/**
 * Rollups and completed events of the UTC days [fromDay, toDay): three aggregates, one scan each. The
 * events are grouped by hour as well when `byHour` (today's chart), from the same scan.
 */
async function readPart(fromDay: string, toDay: string, byHour = false): Promise<Part> {
  const fromAt = new Date(`${fromDay}T00:00:00Z`);
  const toAt = new Date(`${toDay}T00:00:00Z`);
  const [byDay, byWorkspace, byAction] = await Promise.all([
    db.$queryRaw<{ day: Date; category: string; credits: bigint; events: bigint }[]>`
      SELECT day, category::text AS category, sum(credits)::bigint AS credits, sum(events)::bigint AS events
        FROM "UsageRollup" WHERE day >= ${fromDay}::date AND day < ${toDay}::date
       GROUP BY day, category`,
    db.$queryRaw<{ workspaceId: string; credits: bigint }[]>`
      SELECT "workspaceId", sum(credits)::bigint AS credits
        FROM "UsageRollup" WHERE day >= ${fromDay}::date AND day < ${toDay}::date
       GROUP BY "workspaceId" HAVING sum(credits) <> 0`,
    // Charged actions by the time they were asked for; refunded ones no longer count.
    db.$queryRaw<{ hour: Date | null; actionKey: string; category: string; credits: bigint; events: bigint }[]>`
      SELECT CASE WHEN ${byHour} THEN date_trunc('hour', "createdAt") END AS hour, "actionKey", category::text AS category,
             sum(credits)::bigint AS credits, count(*)::bigint AS events
        FROM "UsageEvent" WHERE "createdAt" >= ${fromAt} AND "createdAt" < ${toAt} AND status = 'COMPLETED'
       GROUP BY 1, "actionKey", category`,
  ]);
  const days = new Map<string, Record<Category, Figures>>();
  for (const r of byDay) {
    if (!isCategory(r.category)) continue;
    const key = utcDay(r.day);
    const row = days.get(key) ?? (Object.fromEntries(CATEGORIES.map((c) => [c, { credits: 0, events: 0 }])) as Record<Category, Figures>);
    row[r.category] = { credits: Number(r.credits), events: Number(r.events) };
    days.set(key, row);
  }
  const actions = new Map<string, { category: Category } & Figures>();
  const hours = new Map<number, ByCategory>();
  for (const r of byAction) {
    if (!isCategory(r.category)) continue;
    const prev = actions.get(r.actionKey);
    actions.set(r.actionKey, {
      category: r.category,
      credits: (prev?.credits ?? 0) + Number(r.credits),
      events: (prev?.events ?? 0) + Number(r.events),
    });
    if (r.hour) {
      const row = hours.get(r.hour.getTime()) ?? zeroes();
      row[r.category] += Number(r.credits);
      hours.set(r.hour.getTime(), row);
    }
  }
  return { days, actions, workspaces: new Map(byWorkspace.map((r) => [r.workspaceId, Number(r.credits)])), hours };
}

// ───────────────────────────── past days, cached in this process ─────────────────────────────

type CacheEntry = { part: Part; fetchedAt: number; refreshing: Promise<void> | null };
const holder = globalThis as unknown as {
  __creditbookAdminOverview?: Map<string, CacheEntry>;
  __creditbookAdminOverviewLoads?: Map<string, Promise<CacheEntry>>;
};
const cache = (holder.__creditbookAdminOverview ??= new Map());
const loads = (holder.__creditbookAdminOverviewLoads ??= new Map());

async function closedPart(fromDay: string, today: string): Promise<{ part: Part; fetchedAt: number }> {
  // Entries of earlier "todays" can never be asked for again.
  for (const key of cache.keys()) if (!key.endsWith(`:${today}`)) cache.delete(key);
  const key = `${fromDay}:${today}`;
  const hit = cache.get(key);
  if (hit) {
    if (Date.now() - hit.fetchedAt > CLOSED_DAYS_TTL_MS && !hit.refreshing) {
      // Stale: answer with it and refresh in the background (one refresh at a time).
      hit.refreshing = readPart(fromDay, today)
        .then((part) => void cache.set(key, { part, fetchedAt: Date.now(), refreshing: null }))
        .catch((err) => {
          console.error("[admin] refreshing the overview's past days failed:", err);
          hit.refreshing = null;
        });
    }
    return hit;
  }
  // A miss: concurrent requests share one read.
  let load = loads.get(key);
  if (!load) {
    load = readPart(fromDay, today)
      .then((part) => {
        const entry = { part, fetchedAt: Date.now(), refreshing: null };
        cache.set(key, entry);
        return entry;
      })
      .finally(() => loads.delete(key));
    loads.set(key, load);
  }
  return load;
}

/**
 * Gives the block ranges of UsageEvent written since the last call a summary in the BRIN index on
 * "createdAt", which today's live read relies on: an unsummarized range is read whole, and the newest
 * ranges are exactly today's. Cheap (only new ranges), called by the jobs sweep every minute; the index
 * also has autosummarize on (migration usage_event_brin_autosummarize). Returns the ranges summarized.
 */
export async function summarizeUsageTimeIndex(): Promise<number> {
  const [row] = await db.$queryRaw<
    { ranges: number }[]
  >`SELECT brin_summarize_new_values('"UsageEvent_createdAt_idx"'::regclass)::int AS ranges`;
  return row?.ranges ?? 0;
}

// ───────────────────────────── the page's figures ─────────────────────────────

/** The last 6 characters of a workspace id (cuids differ at the end; the start is a timestamp). */
export function shortWorkspaceId(id: string): string {
  return id.length > 8 ? id.slice(-6) : id;
}

export async function overview(range: Range): Promise<Overview> {
  const at = now();
  const today = utcDay(at);
  const todayAt = new Date(`${today}T00:00:00Z`);
  const tomorrow = utcDay(todayAt.getTime() + DAY_MS);
  const fromAt = new Date(todayAt.getTime() - (RANGES[range].days - 1) * DAY_MS);
  const fromDay = utcDay(fromAt);

  const hourly = range === "day";
  const [closed, live, queued, webhooks, failedStripeEvents, revenue] = await Promise.all([
    fromDay < today ? closedPart(fromDay, today) : Promise.resolve(null),
    readPart(today, tomorrow, hourly),
    db.$queryRaw<{ events: bigint; credits: bigint | null }[]>`
      SELECT count(*)::bigint AS events, sum(credits)::bigint AS credits FROM "UsageEvent" WHERE status = 'QUEUED'`,
    db.$queryRaw<{ failed: bigint }[]>`
      SELECT count(*)::bigint AS failed FROM "WebhookDelivery" WHERE "deliveredAt" IS NULL AND "lastError" IS NOT NULL`,
    countFailedStripeEvents(),
    revenueSince(fromAt),
  ]);
  const parts = closed ? [closed.part, live] : [live];

  const categories = CATEGORIES.map((category) => ({ category, credits: 0, events: 0 }));
  const days = new Map<string, Record<Category, Figures>>();
  for (const part of parts) for (const [day, row] of part.days) days.set(day, row);
  for (const row of days.values()) {
    for (const c of categories) {
      c.credits += row[c.category].credits;
      c.events += row[c.category].events;
    }
  }
  const hours: { start: string; credits: ByCategory }[] = [];
  if (hourly)
    for (let t = todayAt.getTime(); t <= at.getTime(); t += HOUR_MS)
      hours.push({ start: new Date(t).toISOString(), credits: live.hours.get(t) ?? zeroes() });
  const series = hourly
    ? hours
    : Array.from({ length: RANGES[range].days }, (_, i) => {
        const day = utcDay(fromAt.getTime() + i * DAY_MS);
        const row = days.get(day);
        const credits = zeroes();
        if (row) for (const c of CATEGORIES) credits[c] = row[c].credits;
        return { start: `${day}T00:00:00.000Z`, credits };
      });

  const actionTotals = new Map<string, { category: Category } & Figures>();
  for (const part of parts) {
    for (const [key, a] of part.actions) {
      const prev = actionTotals.get(key);
      actionTotals.set(key, { category: a.category, credits: (prev?.credits ?? 0) + a.credits, events: (prev?.events ?? 0) + a.events });
    }
  }
  const workspaceTotals = new Map<string, number>();
  for (const part of parts) for (const [id, credits] of part.workspaces) workspaceTotals.set(id, (workspaceTotals.get(id) ?? 0) + credits);
  const active = [...workspaceTotals].filter(([, credits]) => credits > 0);
  const top = active.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);

  const [names, workspaces] = await Promise.all([
    db.actionPrice.findMany({
      where: { actionKey: { in: [...actionTotals.keys()] } },
      distinct: ["actionKey"],
      orderBy: [{ actionKey: "asc" }, { version: "desc" }],
      select: { actionKey: true, name: true },
    }),
    db.workspace.findMany({
      where: { id: { in: top.map(([id]) => id) } },
      select: {
        id: true,
        name: true,
        plan: { select: { name: true } },
        memberships: {
          where: { role: "OWNER" },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take: 1,
          select: { user: { select: { email: true } } },
        },
      },
    }),
  ]);
  const nameOf = new Map(names.map((n) => [n.actionKey, n.name]));
  const workspaceOf = new Map(workspaces.map((w) => [w.id, w]));

  return {
    range,
    from: fromAt.toISOString(),
    asOf: at.toISOString(),
    bucket: hourly ? "hour" : "day",
    series,
    categories,
    actions: [...actionTotals]
      .map(([actionKey, a]) => ({ actionKey, name: nameOf.get(actionKey) ?? actionKey, ...a }))
      .sort((a, b) => b.credits - a.credits || b.events - a.events || a.actionKey.localeCompare(b.actionKey)),
    total: { credits: categories.reduce((s, c) => s + c.credits, 0), events: categories.reduce((s, c) => s + c.events, 0) },
    topWorkspaces: top.map(([id, credits]) => {
      const w = workspaceOf.get(id);
      return {
        id,
        shortId: shortWorkspaceId(id),
        credits,
        name: w?.name ?? id,
        ownerEmail: w?.memberships[0]?.user.email ?? null,
        planName: w?.plan.name ?? "—",
      };
    }),
    activeWorkspaces: active.length,
    queued: { events: Number(queued[0]?.events ?? 0), credits: Number(queued[0]?.credits ?? 0) },
    failedWebhooks: Number(webhooks[0]?.failed ?? 0),
    failedStripeEvents,
    revenue,
    hasPastDays: closed !== null,
  };
}
