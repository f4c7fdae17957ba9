import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { PG_INT_MAX } from "@/lib/pricing/limits";
import { budgetDescriptions, budgetStatus, creditPeriod, periodSource, type Balance, type Period } from "@/lib/credits";
import {
  ALLOWANCE_SUBJECT,
  budgetSubject,
  limitDue,
  LIMIT_REACHED_EVENT,
  LIMIT_RESOLVED_EVENT,
  THRESHOLD_EVENT,
  whyResolved,
  type BalanceWithAlerts,
  type LimitAlertView,
  type LimitNow,
  type ResolvedReason,
  type UsageAlertView,
} from "@/lib/alerts/rules";
import { notifyLimitAlerts, notifyUsageAlerts } from "@/lib/billing/notifications";

/**
 * Usage alerts on every limit a workspace has (docs/decisions/020-limit-alerts.md): the plan's monthly
 * allowance and each budget. An owner picks thresholds (percent of the limit, Settings → Alerts); when
 * what was counted against a limit in its period reaches one (lib/alerts/rules.ts limitDue) an alert
 * fires, and it stays firing until it no longer holds (rules.ts whyResolved: a new period, a larger limit,
 * credits added, a refund, a removed budget or threshold) — then it resolves. Both edges are announced
 * once: a signed webhook to the workspace's alert URL (`limit_reached` / `limit_resolved`; an outbox row
 * in the same transaction, delivered with retries by lib/jobs/webhooks.ts) and a mail to the owners
 * (lib/billing/notifications.ts). Allowance alerts also show on Billing until dismissed.
 *
 * Evaluation (recordDueAlerts) runs where the figures change or are looked at, never on the metering
 * hot path:
 * - when the portal reads the balance (the billing page, /api/workspace/balance): withUsageAlerts();
 * - after an owner changes a budget or the thresholds;
 * - every minute in the jobs sweep, for workspaces with ledger activity since the run before last and
 *   for every workspace with a firing alert (so an alert resolves at a new period nobody looked at):
 *   sweepUsageAlerts().
 *
 * Once per crossing, however many evaluators race: a partial unique index allows one firing alert per
 * workspace, limit and threshold (INSERT … ON CONFLICT DO NOTHING lets exactly one through), and an alert
 * resolves by an UPDATE … WHERE "resolvedAt" IS NULL that only one of them matches. Only the writer of a
 * row queues its webhook and sends its mail. After resolving, the next crossing fires a new alert.
 */

type AlertRow = {
  id: string;
  subject: string;
  budgetId: string | null;
  threshold: number;
  used: number;
  allowance: number;
  planName: string;
  outOfCredits: boolean;
  periodStart: Date;
  periodEnd: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedReason: string | null;
  dismissedAt: Date | null;
};

const ALERT_COLUMNS = {
  id: true,
  subject: true,
  budgetId: true,
  threshold: true,
  used: true,
  allowance: true,
  planName: true,
  outOfCredits: true,
  periodStart: true,
  periodEnd: true,
  createdAt: true,
  resolvedAt: true,
  resolvedReason: true,
  dismissedAt: true,
} as const;

export type DetectInput = {
  workspaceId: string;
  period: Period;
  plan: { id: string; name: string };
  /** The plan's monthly allowance; 0: unlimited (no allowance alerts). */
  allowance: number;
  /** Credits spent of this period's allowance (lib/credits/figures.ts); null: read from the period's subscription grant. */
  used: number | null;
  /** Spendable credits now; null: summed from the grants. */
  remaining: number | null;
  at: Date;
};

export type Evaluation = {
  /** Allowance alerts that fired now. */
  recorded: UsageAlertView[];
  /** The period's firing, undismissed allowance alerts (Billing's notice), by threshold. */
  pending: UsageAlertView[];
  /** Every alert that fired now (allowance and budgets) and every one that resolved now. */
  reached: LimitAlertView[];
  resolved: LimitAlertView[];
};

/** A lifetime budget has one period, from the beginning. */
const LIFETIME_START = new Date(0);

/** An allowance alert as Billing shows it. */
function view(row: AlertRow): UsageAlertView {
  return {
    id: row.id,
    threshold: row.threshold,
    used: row.used,
    allowance: row.allowance,
    planName: row.planName,
    outOfCredits: row.outOfCredits,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd!.toISOString(), // an allowance alert always has one (CHECK "UsageAlert_subject")
    createdAt: row.createdAt.toISOString(),
  };
}

export function limitView(row: AlertRow): LimitAlertView {
  return {
    id: row.id,
    kind: row.subject === ALLOWANCE_SUBJECT ? "allowance" : "budget",
    budgetId: row.budgetId,
    threshold: row.threshold,
    used: row.used,
    limit: row.allowance,
    planName: row.planName,
    outOfCredits: row.outOfCredits,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd?.toISOString() ?? null,
    firedAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedReason: (row.resolvedReason as ResolvedReason | null) ?? null,
    dismissedAt: row.dismissedAt?.toISOString() ?? null,
  };
}

/** The body of a limit_reached / limit_resolved webhook (frozen in the outbox row). */
function limitPayload(workspaceId: string, a: LimitAlertView) {
  return {
    alert_id: a.id,
    workspace_id: workspaceId,
    state: a.resolvedAt ? "resolved" : "firing",
    limit: { kind: a.kind, budget_id: a.budgetId, credits: a.limit },
    threshold: a.threshold,
    used: a.used,
    out_of_credits: a.outOfCredits,
    period: { start: a.periodStart, end: a.periodEnd },
    plan_name: a.planName,
    reached_at: a.firedAt,
    resolved_at: a.resolvedAt,
    reason: a.resolvedReason,
  };
}

/** The legacy usage.threshold_crossed body (allowance alerts only). */
function thresholdPayload(workspaceId: string, a: LimitAlertView, planId: string) {
  return {
    alert_id: a.id,
    workspace_id: workspaceId,
    period: { start: a.periodStart, end: a.periodEnd },
    threshold: a.threshold,
    used: a.used,
    allowance: a.limit,
    out_of_credits: a.outOfCredits,
    plan: { id: planId, name: a.planName },
    crossed_at: a.firedAt,
  };
}

/** What was spent of this period's allowance and what is spendable now, when the caller has not read them. */
async function allowanceFigures(input: DetectInput): Promise<{ used: number; remaining: number }> {
  const { workspaceId, period, allowance, at } = input;
  if (input.used !== null && input.remaining !== null) return { used: input.used, remaining: input.remaining };
  // Bonus and purchased spend never push an allowance percentage (lib/credits/figures.ts allowanceFigures).
  // Period bounds are 00:00 UTC (lib/credits/periods.ts), so the period's rollup days sum to its usage exactly.
  const [row] = await db.$queryRaw<{ used: bigint; remaining: bigint }[]>`
    SELECT least(coalesce((SELECT greatest(g.amount - g.remaining, 0) FROM "CreditGrant" g
                            WHERE g."workspaceId" = ${workspaceId} AND g.source = ${periodSource(period)}), 0),
                 coalesce((SELECT sum(r.credits) FROM "UsageRollup" r
                            WHERE r."workspaceId" = ${workspaceId}
                              AND r.day >= ${period.start}::timestamp(3)::date AND r.day < ${period.end}::timestamp(3)::date), 0),
                 ${allowance}::int)::bigint AS used,
           coalesce((SELECT sum(g.remaining) FROM "CreditGrant" g
                      WHERE g."workspaceId" = ${workspaceId} AND g.remaining > 0
                        AND (g."expiresAt" IS NULL OR g."expiresAt" > ${at}::timestamp(3))), 0)::bigint AS remaining`;
  return { used: input.used ?? Number(row!.used), remaining: input.remaining ?? Number(row!.remaining) };
}

/**
 * Evaluates every limit of a workspace: resolves the firing alerts that no longer hold, fires the due
 * thresholds that have no firing alert, queues both edges' webhooks in the same transaction and mails
 * the owners after it commits. When nothing changes it is three small reads (settings, budgets, firing
 * alerts), plus the allowance figures when the caller has not read them.
 */
export async function recordDueAlerts(input: DetectInput): Promise<Evaluation> {
  const { workspaceId, period, plan, allowance, at } = input;
  const [settings, budgets, firing] = await Promise.all([
    db.workspace.findUnique({ where: { id: workspaceId }, select: { alertThresholds: true, alertWebhookUrl: true } }),
    budgetStatus(workspaceId, at),
    db.usageAlert.findMany({ where: { workspaceId, resolvedAt: null }, select: ALERT_COLUMNS, orderBy: { id: "asc" } }),
  ]);
  if (!settings) return { recorded: [], pending: [], reached: [], resolved: [] };
  const thresholds = [...settings.alertThresholds].sort((a, b) => a - b);

  const limits = new Map<string, LimitNow>();
  let remaining = 0;
  if (allowance > 0) {
    const figures = await allowanceFigures(input);
    remaining = figures.remaining;
    limits.set(ALLOWANCE_SUBJECT, {
      subject: ALLOWANCE_SUBJECT,
      budgetId: null,
      limit: allowance,
      used: figures.used,
      periodStart: period.start,
      periodEnd: period.end,
    });
  }
  for (const b of budgets) {
    if (b.limit === null || b.limit <= 0) continue;
    limits.set(budgetSubject(b.id), {
      subject: budgetSubject(b.id),
      budgetId: b.id,
      limit: b.limit,
      used: b.spent,
      periodStart: b.period_start ? new Date(b.period_start) : LIFETIME_START,
      periodEnd: b.resets_at ? new Date(b.resets_at) : null,
    });
  }

  const toResolve = firing
    .map((a) => ({ alert: a, reason: whyResolved(a, { limits, thresholds, remaining }) }))
    .filter((r): r is { alert: AlertRow; reason: ResolvedReason } => r.reason !== null);
  // Firing alerts that still hold: whoever resolves the others (this call or a racing one), they are over.
  const resolving = new Set(toResolve.map((r) => r.alert.id));
  const holding = firing.filter((a) => !resolving.has(a.id));
  const held = new Set(holding.map((a) => `${a.subject}#${a.threshold}`));
  const toFire = [...limits.values()]
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
    .flatMap((limit) =>
      thresholds
        .filter((t) => !held.has(`${limit.subject}#${t}`) && limitDue(limit, t, remaining))
        .map((threshold) => ({ limit, threshold })),
    );

  let reachedRows: AlertRow[] = [];
  let resolvedRows: AlertRow[] = [];
  if (toResolve.length > 0 || toFire.length > 0) {
    [resolvedRows, reachedRows] = await db.$transaction(async (tx) => {
      const resolved: AlertRow[] = [];
      for (const { alert, reason } of toResolve) {
        resolved.push(
          ...(await tx.usageAlert.updateManyAndReturn({
            where: { id: alert.id, resolvedAt: null },
            data: { resolvedAt: at, resolvedReason: reason },
            select: ALERT_COLUMNS,
          })),
        );
      }
      const reached: AlertRow[] = [];
      for (const { limit, threshold } of toFire) {
        const outOfCredits = limit.subject === ALLOWANCE_SUBJECT && limit.used * 100 < threshold * limit.limit;
        reached.push(
          ...(await tx.$queryRaw<AlertRow[]>`
            INSERT INTO "UsageAlert" (id, "workspaceId", subject, "budgetId", "periodStart", "periodEnd", threshold, used, allowance,
                                      "planId", "planName", "outOfCredits", "createdAt")
            VALUES (${uuidv7(at.getTime())}, ${workspaceId}, ${limit.subject}, ${limit.budgetId}, ${limit.periodStart}::timestamp(3),
                    ${limit.periodEnd}::timestamp(3), ${threshold}, ${Math.min(limit.used, PG_INT_MAX)}, ${limit.limit},
                    ${plan.id}, ${plan.name}, ${outOfCredits}, ${at}::timestamp(3))
            ON CONFLICT ("workspaceId", subject, threshold) WHERE "resolvedAt" IS NULL DO NOTHING
            RETURNING id, subject, "budgetId", threshold, used, allowance, "planName", "outOfCredits", "periodStart", "periodEnd",
                      "createdAt", "resolvedAt", "resolvedReason", "dismissedAt"`),
        );
      }
      if (settings.alertWebhookUrl) {
        const delivery = (eventId: string, type: string, payload: object) => ({
          workspaceId,
          eventId,
          type,
          payload,
          nextAttemptAt: at,
          createdAt: at,
        });
        await tx.webhookDelivery.createMany({
          data: [
            ...resolved.map((r) => delivery(r.id, LIMIT_RESOLVED_EVENT, limitPayload(workspaceId, limitView(r)))),
            ...reached.map((r) => delivery(r.id, LIMIT_REACHED_EVENT, limitPayload(workspaceId, limitView(r)))),
            ...reached
              .filter((r) => r.subject === ALLOWANCE_SUBJECT)
              .map((r) => delivery(r.id, THRESHOLD_EVENT, thresholdPayload(workspaceId, limitView(r), plan.id))),
          ],
          skipDuplicates: true,
        });
      }
      return [resolved, reached];
    });
  }

  const recorded = reachedRows.filter((r) => r.subject === ALLOWANCE_SUBJECT).map(view);
  const reached = reachedRows.map(limitView);
  const resolved = resolvedRows.map(limitView);
  // The owners' mail for what this call changed (after the commit; once per alert and owner by the
  // outbox's unique key; never throws). Racing evaluators: only the writer of a row has it here.
  if (recorded.length > 0) await notifyUsageAlerts(workspaceId, recorded);
  if (reached.some((a) => a.kind === "budget") || resolved.length > 0) await notifyLimitAlerts(workspaceId, { reached, resolved });

  const pending = [...holding.filter((a) => a.dismissedAt === null), ...reachedRows]
    .filter((a) => a.subject === ALLOWANCE_SUBJECT)
    .sort((a, b) => a.threshold - b.threshold)
    .map(view);
  return { recorded, pending, reached, resolved };
}

/**
 * The balance as the portal shows it, with this period's firing, undismissed allowance alerts — evaluating
 * every limit from the figures the balance already holds.
 */
export async function withUsageAlerts(balance: Balance): Promise<BalanceWithAlerts> {
  const period = { start: new Date(balance.period.start), end: new Date(balance.period.end) };
  const metered = !balance.unlimited && balance.allowance !== null;
  const [{ pending }, dismissed] = await Promise.all([
    recordDueAlerts({
      workspaceId: balance.workspaceId,
      period,
      plan: { id: balance.plan.id, name: balance.plan.name },
      allowance: metered ? balance.allowance! : 0,
      used: balance.allowanceUsed,
      remaining: balance.remaining,
      at: new Date(balance.asOf),
    }),
    // The highest alert someone dismissed this period: the upgrade prompt it stood for stays dismissed too.
    metered
      ? db.usageAlert.aggregate({
          where: {
            workspaceId: balance.workspaceId,
            subject: ALLOWANCE_SUBJECT,
            periodStart: period.start,
            allowance: balance.allowance!,
            dismissedAt: { not: null },
          },
          _max: { threshold: true },
        })
      : null,
  ]);
  return { ...balance, alerts: metered ? pending : [], dismissedThreshold: dismissed?._max.threshold ?? null };
}

/** Evaluates a workspace's limits from the database alone (the sweep, after a budget or threshold change, tests). */
export async function detectUsageAlerts(workspaceId: string, options: { at?: Date } = {}): Promise<Evaluation> {
  const at = options.at ?? now();
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { billingInterval: true, periodAnchor: true, plan: { select: { id: true, name: true, monthlyCredits: true } } },
  });
  return recordDueAlerts({
    workspaceId,
    period: creditPeriod(at, workspace.billingInterval, workspace.periodAnchor),
    plan: workspace.plan,
    allowance: workspace.plan.monthlyCredits ?? 0,
    used: null,
    remaining: null,
    at,
  });
}

/**
 * Evaluates after an owner changed a limit or the thresholds. The change itself has committed and stands
 * whatever happens here: a failure is logged and the next sweep or balance read evaluates again.
 */
export async function evaluateAfterChange(workspaceId: string): Promise<void> {
  try {
    await detectUsageAlerts(workspaceId);
  } catch (err) {
    console.error(`[alerts] evaluating ${workspaceId} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
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
): Promise<{ workspaces: number; recorded: number; resolved: number }> {
  const at = options.at ?? now();
  const range = options.workspaceIds ? null : await ledgerRange();
  const candidates = options.workspaceIds ?? (range ? await workspacesIn(range) : []);
  // Workspaces whose usage moved and that have a limit with thresholds to cross, and those with a firing
  // alert whose period has ended: it stops holding with no ledger activity (a budget's day resets at
  // 00:00 UTC). Everything else that resolves an alert moves the ledger (credits added, a plan change,
  // a refund) or evaluates at once (a budget or the thresholds changed).
  const watched = await db.$queryRaw<{ id: string }[]>`
    SELECT w.id FROM "Workspace" w JOIN "Plan" p ON p.id = w."planId"
     WHERE w.id = ANY (${candidates}::text[]) AND cardinality(w."alertThresholds") > 0
       AND (p."monthlyCredits" > 0 OR EXISTS (SELECT 1 FROM "Budget" b WHERE b."workspaceId" = w.id))
    UNION
    SELECT DISTINCT a."workspaceId" FROM "UsageAlert" a
     WHERE a."resolvedAt" IS NULL AND a."periodEnd" <= ${at}::timestamp(3)
       AND (${options.workspaceIds ?? null}::text[] IS NULL OR a."workspaceId" = ANY (${candidates}::text[]))
    ORDER BY id`;
  let recorded = 0;
  let resolved = 0;
  for (const { id } of watched) {
    const evaluation = await detectUsageAlerts(id, { at });
    recorded += evaluation.reached.length;
    resolved += evaluation.resolved.length;
  }
  if (range) await advanceCursor(range);
  return { workspaces: watched.length, recorded, resolved };
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
    select: { subject: true, periodStart: true, threshold: true },
  });
  if (!alert) throw new AppError("not_found", "No such usage alert in this workspace.");
  const { count } = await db.usageAlert.updateMany({
    where: {
      workspaceId: input.workspaceId,
      subject: alert.subject,
      periodStart: alert.periodStart,
      threshold: { lte: alert.threshold },
      dismissedAt: null,
    },
    data: { dismissedAt: input.at ?? now(), dismissedById: input.userId },
  });
  return count > 0;
}

/** The workspace's latest alerts on every limit, newest first (Settings → Alerts), with the budgets they watch in words. */
export async function recentUsageAlerts(
  workspaceId: string,
  options: { limit?: number } = {},
): Promise<(LimitAlertView & { budgetName: string | null })[]> {
  const rows = await db.usageAlert.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: "desc" }, { threshold: "desc" }],
    take: options.limit ?? 10,
    select: ALERT_COLUMNS,
  });
  const budgets = await budgetDescriptions(
    db,
    workspaceId,
    rows.flatMap((r) => (r.budgetId ? [r.budgetId] : [])),
  );
  return rows.map((r) => ({ ...limitView(r), budgetName: r.budgetId ? (budgets.get(r.budgetId)?.title ?? "a removed budget") : null }));
}
