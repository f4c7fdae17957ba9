import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { creditPeriod, periodSource, type Balance, type Period } from "@/lib/credits";
import { THRESHOLD_EVENT, type BalanceWithAlerts, type UsageAlertView } from "@/lib/alerts/rules";
import { notifyUsageAlerts } from "@/lib/billing/notifications";

/**
 * In-app usage alerts. An owner picks thresholds (percent of the plan's monthly allowance); when the
 * period's allowance used (lib/credits/figures.ts) reaches one (lib/alerts/rules.ts thresholdDue) an alert is recorded — once per
 * workspace, period and threshold — shown in the portal until dismissed, and announced to the
 * workspace's alert webhook URL (signed, with retries: an outbox row in the same statement, delivered by
 * lib/jobs/webhooks.ts) and mailed to the owners (lib/billing/notifications.ts).
 *
 * Detection runs in two places, both through recordDueAlerts (one SQL statement):
 * - when the portal reads the balance (the billing page, /api/workspace/balance): withUsageAlerts();
 * - every minute in the jobs sweep for workspaces with ledger activity since the run before last:
 *   sweepUsageAlerts(), so customers who never open the portal still get the webhook.
 *
 * Once per period and allowance, however many detectors race: the unique key (workspaceId, periodStart,
 * threshold, allowance) lets exactly one INSERT … ON CONFLICT DO NOTHING through; the others wait for it
 * and insert nothing.
 *
 * Re-evaluated on every read: an alert is shown only while it still holds for the current plan — recorded
 * against the allowance in force and still due on today's figures. After an upgrade (a larger allowance)
 * or a refill (out of credits no more) it is resolved: no longer shown, and the new allowance's thresholds
 * alert afresh when they are crossed.
 * The webhook row is inserted from that INSERT's RETURNING in the same statement, so it exists exactly
 * when the alert does.
 */

/** A recorded alert as the SQL returns it: the view's fields, with dates, and whether this call recorded it. */
type AlertRow = Omit<UsageAlertView, "periodStart" | "periodEnd" | "createdAt"> & {
  periodStart: Date;
  periodEnd: Date;
  createdAt: Date;
  recorded: boolean;
};

export type DetectInput = {
  workspaceId: string;
  period: Period;
  plan: { id: string; name: string };
  allowance: number;
  /** Credits spent of this period's allowance (lib/credits/figures.ts); null: read from the period's subscription grant. */
  used: number | null;
  /** Spendable credits now; null: summed from the grants. */
  remaining: number | null;
  at: Date;
};

function view(row: AlertRow): UsageAlertView {
  return {
    id: row.id,
    threshold: row.threshold,
    used: row.used,
    allowance: row.allowance,
    planName: row.planName,
    outOfCredits: row.outOfCredits,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Records every threshold that is due and not yet recorded this period, queues its webhook when the
 * workspace has an alert URL, and returns the period's undismissed alerts of thresholds still chosen
 * (the ones recorded now among them). One statement: when nothing is due it is a read of the workspace
 * row and a probe of the unique index per chosen threshold.
 */
export async function recordDueAlerts(input: DetectInput): Promise<{ recorded: UsageAlertView[]; pending: UsageAlertView[] }> {
  const { workspaceId, period, plan, allowance, at } = input;
  if (!(allowance > 0)) return { recorded: [], pending: [] };
  const rows = await db.$queryRaw<AlertRow[]>`
    WITH settings AS (
      SELECT w."alertThresholds" AS thresholds, w."alertWebhookUrl" AS url FROM "Workspace" w WHERE w.id = ${workspaceId}
    ), figures AS MATERIALIZED ( -- each sum once, however often the thresholds below refer to it
      -- What was spent of this period's allowance (lib/credits/figures.ts allowanceFigures): bonus and
      -- purchased spend never push an allowance percentage. Period bounds are 00:00 UTC
      -- (lib/credits/periods.ts), so the period's rollup days sum to its usage exactly.
      SELECT coalesce(${input.used}::bigint,
                      least(coalesce((SELECT greatest(g.amount - g.remaining, 0) FROM "CreditGrant" g
                                       WHERE g."workspaceId" = ${workspaceId} AND g.source = ${periodSource(period)}), 0),
                            coalesce((SELECT sum(r.credits) FROM "UsageRollup" r
                                       WHERE r."workspaceId" = ${workspaceId}
                                         AND r.day >= ${period.start}::timestamp(3)::date AND r.day < ${period.end}::timestamp(3)::date), 0),
                            ${allowance}::int)) AS used,
             coalesce(${input.remaining}::bigint,
                      (SELECT sum(g.remaining) FROM "CreditGrant" g
                        WHERE g."workspaceId" = ${workspaceId} AND g.remaining > 0
                          AND (g."expiresAt" IS NULL OR g."expiresAt" > ${at}::timestamp(3))), 0) AS remaining
    ), due AS (
      -- lib/alerts/rules.ts thresholdDue, for each chosen threshold not yet recorded this period
      SELECT t.threshold, f.used, f.used * 100 < t.threshold::bigint * ${allowance}::int AS "outOfCredits"
        FROM settings s CROSS JOIN figures f CROSS JOIN LATERAL unnest(s.thresholds) AS t(threshold)
       WHERE f.used > 0
         AND (f.used * 100 >= t.threshold::bigint * ${allowance}::int OR (t.threshold = 100 AND f.remaining <= 0))
         AND NOT EXISTS (SELECT 1 FROM "UsageAlert" a
                          WHERE a."workspaceId" = ${workspaceId} AND a."periodStart" = ${period.start}::timestamp(3) AND a.threshold = t.threshold
                            AND a.allowance = ${allowance}::int)
    ), recorded AS (
      -- Always in threshold order, so two racing detectors wait on each other's rows in the same order.
      INSERT INTO "UsageAlert" (id, "workspaceId", "periodStart", "periodEnd", threshold, used, allowance, "planId", "planName", "outOfCredits", "createdAt")
      SELECT gen_random_uuid()::text, ${workspaceId}, ${period.start}::timestamp(3), ${period.end}::timestamp(3), d.threshold,
             least(d.used, 2147483647)::int, ${allowance}::int, ${plan.id}, ${plan.name}, d."outOfCredits", ${at}::timestamp(3)
        FROM due d ORDER BY d.threshold
      ON CONFLICT ("workspaceId", "periodStart", threshold, allowance) DO NOTHING
      RETURNING id, threshold, used, allowance, "planId", "planName", "outOfCredits", "periodStart", "periodEnd", "createdAt"
    ), announced AS (
      INSERT INTO "WebhookDelivery" (id, "workspaceId", "eventId", type, payload, "nextAttemptAt", "createdAt")
      SELECT gen_random_uuid()::text, ${workspaceId}, r.id, ${THRESHOLD_EVENT},
             jsonb_build_object(
               'alert_id', r.id,
               'workspace_id', ${workspaceId}::text,
               'period', jsonb_build_object('start', ${period.start.toISOString()}::text, 'end', ${period.end.toISOString()}::text),
               'threshold', r.threshold,
               'used', r.used,
               'allowance', r.allowance,
               'out_of_credits', r."outOfCredits",
               'plan', jsonb_build_object('id', r."planId", 'name', r."planName"),
               'crossed_at', ${at.toISOString()}::text),
             ${at}::timestamp(3), ${at}::timestamp(3)
        FROM recorded r CROSS JOIN settings s
       WHERE s.url IS NOT NULL
      ON CONFLICT ("eventId", type) DO NOTHING
    )
    SELECT r.id, r.threshold, r.used, r.allowance, r."planName", r."outOfCredits", r."periodStart", r."periodEnd", r."createdAt", true AS recorded
      FROM recorded r
    UNION ALL
    -- The statement's snapshot does not see the rows it inserts: no duplicates with the part above.
    -- Only alerts that still hold (lib/alerts/rules.ts thresholdDue on today's figures, for the allowance
    -- in force): the others are resolved.
    SELECT a.id, a.threshold, a.used, a.allowance, a."planName", a."outOfCredits", a."periodStart", a."periodEnd", a."createdAt", false
      FROM "UsageAlert" a CROSS JOIN settings s CROSS JOIN figures f
     WHERE a."workspaceId" = ${workspaceId} AND a."periodStart" = ${period.start}::timestamp(3) AND a."dismissedAt" IS NULL
       AND a.threshold = ANY (s.thresholds)
       AND a.allowance = ${allowance}::int
       AND f.used > 0 AND (f.used * 100 >= a.threshold::bigint * ${allowance}::int OR (a.threshold = 100 AND f.remaining <= 0))
     ORDER BY threshold`;
  const recorded = rows.filter((r) => r.recorded).map(view);
  // The owners' mail for the alerts this call recorded (after the statement committed; once per alert and
  // owner by the outbox's unique key; never throws). Racing detectors: only the one that inserted the
  // UsageAlert row has it in `recorded`.
  if (recorded.length > 0) await notifyUsageAlerts(workspaceId, recorded);
  return { recorded, pending: rows.map(view) };
}

/**
 * The balance as the portal shows it, with this period's undismissed alerts — detecting any that are
 * due from the figures the balance already holds (one statement; none at all for unlimited plans).
 */
export async function withUsageAlerts(balance: Balance): Promise<BalanceWithAlerts> {
  if (balance.unlimited || balance.allowance === null) return { ...balance, alerts: [], dismissedThreshold: null };
  const period = { start: new Date(balance.period.start), end: new Date(balance.period.end) };
  const [{ pending }, dismissed] = await Promise.all([
    recordDueAlerts({
      workspaceId: balance.workspaceId,
      period,
      plan: { id: balance.plan.id, name: balance.plan.name },
      allowance: balance.allowance,
      used: balance.allowanceUsed,
      remaining: balance.remaining,
      at: new Date(balance.asOf),
    }),
    // The highest alert someone dismissed this period: the upgrade prompt it stood for stays dismissed too.
    db.usageAlert.aggregate({
      where: { workspaceId: balance.workspaceId, periodStart: period.start, allowance: balance.allowance, dismissedAt: { not: null } },
      _max: { threshold: true },
    }),
  ]);
  return { ...balance, alerts: pending, dismissedThreshold: dismissed._max.threshold };
}

/** Detects a workspace's due alerts from the database alone (the sweep, tests). */
export async function detectUsageAlerts(
  workspaceId: string,
  options: { at?: Date } = {},
): Promise<{ recorded: UsageAlertView[]; pending: UsageAlertView[] }> {
  const at = options.at ?? now();
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { billingInterval: true, periodAnchor: true, plan: { select: { id: true, name: true, monthlyCredits: true } } },
  });
  if (workspace.plan.monthlyCredits === null) return { recorded: [], pending: [] };
  return recordDueAlerts({
    workspaceId,
    period: creditPeriod(at, workspace.billingInterval, workspace.periodAnchor),
    plan: workspace.plan,
    allowance: workspace.plan.monthlyCredits,
    used: null,
    remaining: null,
    at,
  });
}

/**
 * The scheduled detector. Which workspaces can have crossed a threshold since the last run? Only those
 * whose ledger moved: the run reads the workspace ids of the ledger entries after a cursor (a range scan
 * of LedgerEntry's primary key, proportional to the entries written in about two minutes — never every
 * workspace, never anyone's history). Entry ids come from a sequence and a transaction may commit after
 * a later id is visible, so each run starts at the high-water mark of the run before last: every range
 * is read twice, a minute apart (detection is idempotent). Metered workspaces with thresholds among
 * them are then detected one by one (recordDueAlerts: two small sums and the index probes), and only
 * then does the cursor move: a run that fails is repeated whole by the next one.
 * `workspaceIds` skips the cursor and detects exactly those (an operator, tests).
 */
export async function sweepUsageAlerts(
  options: { at?: Date; workspaceIds?: string[] } = {},
): Promise<{ workspaces: number; recorded: number }> {
  const at = options.at ?? now();
  const range = options.workspaceIds ? null : await ledgerRange();
  const candidates = options.workspaceIds ?? (range ? await workspacesIn(range) : []);
  const metered =
    candidates.length === 0
      ? []
      : await db.$queryRaw<{ id: string }[]>`
          SELECT w.id FROM "Workspace" w JOIN "Plan" p ON p.id = w."planId"
           WHERE w.id = ANY (${candidates}::text[]) AND p."monthlyCredits" > 0 AND cardinality(w."alertThresholds") > 0
           ORDER BY w.id`;
  let recorded = 0;
  for (const { id } of metered) {
    recorded += (await detectUsageAlerts(id, { at })).recorded.length;
  }
  if (range) await advanceCursor(range);
  return { workspaces: metered.length, recorded };
}

const CURSOR_ID = "ledger";
/** At most this many ledger entries are read per run (a backlog is worked off run by run). */
const MAX_ENTRIES_PER_RUN = 500_000n;
/** The very first run looks back this far, so usage just before the feature was deployed is seen too. */
const FIRST_RUN_LOOKBACK = 10_000n;

type LedgerRange = { last: bigint; previous: bigint; from: bigint; to: bigint };

/** The entries this run reads: after the run-before-last's mark, up to the newest (capped). */
async function ledgerRange(): Promise<LedgerRange> {
  await db.$executeRaw`
    INSERT INTO "UsageAlertCursor" (id, "lastEntryId", "previousEntryId", "updatedAt")
    SELECT ${CURSOR_ID}, m.start, m.start, now()
      FROM (SELECT greatest(coalesce(max(id), 0) - ${FIRST_RUN_LOOKBACK}, 0) AS start FROM "LedgerEntry") m
    ON CONFLICT (id) DO NOTHING`;
  const [row] = await db.$queryRaw<{ last: bigint; previous: bigint; max: bigint | null }[]>`
    SELECT c."lastEntryId" AS last, c."previousEntryId" AS previous, (SELECT max(id) FROM "LedgerEntry") AS max
      FROM "UsageAlertCursor" c WHERE c.id = ${CURSOR_ID}`;
  const last = row?.last ?? 0n;
  const from = row?.previous ?? 0n;
  const newest = row?.max ?? 0n;
  const to = newest < from + MAX_ENTRIES_PER_RUN ? newest : from + MAX_ENTRIES_PER_RUN;
  return { last, previous: from, from, to: to > from ? to : from };
}

async function workspacesIn(range: LedgerRange): Promise<string[]> {
  if (range.to <= range.from) return [];
  const rows = await db.$queryRaw<{ workspaceId: string }[]>`
    SELECT DISTINCT e."workspaceId" FROM "LedgerEntry" e
     WHERE e.id > ${range.from} AND e.id <= ${range.to} AND e.kind <> 'UNMETERED'`;
  return rows.map((r) => r.workspaceId);
}

/**
 * The next run starts at this run's predecessor's mark. Compare-and-set: when two sweeps overlap (several
 * instances), one moves it and the other's update matches nothing — both read the range, harmlessly.
 */
async function advanceCursor(range: LedgerRange): Promise<void> {
  const previous = range.last < range.to ? range.last : range.to;
  const last = range.to > range.last ? range.to : range.last;
  await db.$executeRaw`
    UPDATE "UsageAlertCursor" SET "previousEntryId" = ${previous}, "lastEntryId" = ${last}, "updatedAt" = now()
     WHERE id = ${CURSOR_ID} AND "lastEntryId" = ${range.last} AND "previousEntryId" = ${range.previous}`;
}

/**
 * Dismisses an alert for everyone in the workspace (owners and members alike), with the period's lower
 * ones: the notice shows the highest, which stands for them. False when it was dismissed already.
 */
export async function dismissUsageAlert(input: { workspaceId: string; alertId: string; userId: string; at?: Date }): Promise<boolean> {
  const alert = await db.usageAlert.findFirst({
    where: { id: input.alertId, workspaceId: input.workspaceId },
    select: { periodStart: true, threshold: true },
  });
  if (!alert) throw new AppError("not_found", "No such usage alert in this workspace.");
  const { count } = await db.usageAlert.updateMany({
    where: { workspaceId: input.workspaceId, periodStart: alert.periodStart, threshold: { lte: alert.threshold }, dismissedAt: null },
    data: { dismissedAt: input.at ?? now(), dismissedById: input.userId },
  });
  return count > 0;
}

/** The workspace's latest alerts, newest first (the settings page's history); `current`: of this period. */
export async function recentUsageAlerts(
  workspaceId: string,
  options: { limit?: number; at?: Date } = {},
): Promise<(UsageAlertView & { dismissedAt: string | null; current: boolean })[]> {
  const at = options.at ?? now();
  const rows = await db.usageAlert.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: "desc" }, { threshold: "desc" }],
    take: options.limit ?? 10,
    select: {
      id: true,
      threshold: true,
      used: true,
      allowance: true,
      planName: true,
      outOfCredits: true,
      periodStart: true,
      periodEnd: true,
      createdAt: true,
      dismissedAt: true,
    },
  });
  return rows.map((r) => ({
    ...view({ ...r, recorded: false }),
    dismissedAt: r.dismissedAt?.toISOString() ?? null,
    current: r.periodStart <= at && at < r.periodEnd,
  }));
}
