import "server-only";
import { db, type Tx } from "@/lib/db";
import { creditPeriod, periodSource, type Period } from "@/lib/credits/periods";
import { eventMovesByGrant, expireGrants, grant, lockWorkspace, moveCredits } from "@/lib/credits/ledger";
import { drainQueue } from "@/lib/credits/queue";
import { applyPaymentTimeline, shrinkAllowance } from "@/lib/credits/standing";

/**
 * Period maintenance, in this order, under the workspace lock:
 *  0. a past-due workspace moves along the failed-payment timeline (lib/credits/standing.ts);
 *  1. a downgrade or cancellation scheduled for this period start takes effect;
 *  2. expired reservation holds are released (their credits return to the grants they came from);
 *  3. grants past their expiry expire (unused SUBSCRIPTION credits of the last period among them:
 *     no rollover);
 *  4. the current period's SUBSCRIPTION grant is made — exactly one per workspace and period: the
 *     unique source `period:<start>` lets one insert through however many callers race;
 *  5. queued events are charged first-in first-out with what is now available.
 * It runs lazily (credits_charge answers 'maintenance'; balance reads check credits_maintenance_due)
 * and from the scheduled sweep (lib/jobs), so queued work runs at reset even with no traffic.
 */
export async function maintain(tx: Tx, workspaceId: string, at: Date): Promise<Period> {
  let workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: maintenanceSelect });
  if (workspace.pastDueSince) {
    await applyPaymentTimeline(
      tx,
      { id: workspaceId, ...workspace },
      at,
      creditPeriod(at, workspace.billingInterval, workspace.periodAnchor),
    );
    workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: maintenanceSelect });
  }
  if (workspace.pendingPlanId && workspace.pendingPlanAt && workspace.pendingPlanAt <= at) {
    workspace = await tx.workspace.update({
      where: { id: workspaceId },
      data: { planId: workspace.pendingPlanId, pendingPlanId: null, pendingPlanAt: null },
      select: maintenanceSelect,
    });
    // Mid-period (a trial's end): this period's allowance shrinks to the new plan's.
    await shrinkAllowance(tx, {
      workspaceId,
      at,
      period: creditPeriod(at, workspace.billingInterval, workspace.periodAnchor),
      credits: workspace.plan.monthlyCredits,
      reason: `Now on the ${workspace.plan.name} plan`,
    });
  }
  await expireHolds(tx, workspaceId, at);
  await expireGrants(tx, workspaceId, at);
  const period = creditPeriod(at, workspace.billingInterval, workspace.periodAnchor);
  if (workspace.plan.monthlyCredits !== null && workspace.subscriptionStatus !== "PAUSED") {
    await grant(tx, {
      workspaceId,
      type: "SUBSCRIPTION",
      credits: workspace.plan.monthlyCredits,
      expiresAt: period.end,
      source: periodSource(period),
      at,
      reason: `${workspace.plan.name} monthly allowance`,
    });
  }
  await drainQueue(tx, workspaceId, at);
  return period;
}

const maintenanceSelect = {
  billingInterval: true,
  periodAnchor: true,
  subscriptionStatus: true,
  pastDueSince: true,
  pendingPlanId: true,
  pendingPlanAt: true,
  plan: { select: { name: true, monthlyCredits: true } },
} as const;

/** Releases every reservation hold past its expiry. */
async function expireHolds(tx: Tx, workspaceId: string, at: Date): Promise<void> {
  const expired = await tx.usageEvent.findMany({
    where: { workspaceId, status: "PENDING", holdExpiresAt: { lte: at } },
    select: { id: true },
  });
  for (const { id } of expired) await releaseHold(tx, workspaceId, id, at);
}

/** Returns a PENDING reservation's held credits to their grants and marks it RELEASED. */
export async function releaseHold(tx: Tx, workspaceId: string, eventId: string, at: Date): Promise<void> {
  const held = await eventMovesByGrant(tx, eventId, ["HOLD", "RELEASE"]);
  await moveCredits(tx, {
    workspaceId,
    moves: held.map((m) => ({ grantId: m.grantId, credits: -m.credits })),
    kind: "RELEASE",
    usageEventId: eventId,
    at,
  });
  await tx.usageEvent.update({ where: { id: eventId }, data: { status: "RELEASED", releasedAt: at } });
}

/**
 * How every ledger operation starts its transaction: take the workspace lock, then bring the
 * workspace to the period containing `at`. Returns that period.
 */
export async function lockAndMaintain(tx: Tx, workspaceId: string, at: Date): Promise<Period> {
  await lockWorkspace(tx, workspaceId);
  return maintain(tx, workspaceId, at);
}

/** Runs maintenance if it is due (one cheap query when it is not). */
export async function ensureMaintained(workspaceId: string, at: Date): Promise<void> {
  const [row] = await db.$queryRaw<{ due: boolean }[]>`SELECT "credits_maintenance_due"(${workspaceId}, ${at}::timestamp(3)) AS due`;
  if (!row?.due) return;
  await db.$transaction((tx) => lockAndMaintain(tx, workspaceId, at));
}
