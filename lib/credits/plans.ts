import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { periodSource, type Period } from "@/lib/credits/periods";
import { growGrant } from "@/lib/credits/ledger";
import { drainQueue } from "@/lib/credits/queue";
import { lockAndMaintain, maintain } from "@/lib/credits/maintenance";

export type PlanChange = { planId: string; effective: "now" | "period_end"; effectiveAt: Date; toppedUp: number };

/** Unlimited (null) ranks above every metered allowance. */
const rank = (monthlyCredits: number | null) => monthlyCredits ?? Number.POSITIVE_INFINITY;

/**
 * Moves a workspace to another plan. An upgrade takes effect at once and tops the current period's
 * SUBSCRIPTION grant up by the difference of the allowances (Starter → Pro: +4,000). A downgrade or
 * cancellation (to Free) takes effect at the next period start; choosing the current plan again
 * cancels a scheduled change.
 */
export async function changePlan(input: { workspaceId: string; planId: string; actorUserId?: string }): Promise<PlanChange> {
  const at = now();
  return db.$transaction(async (tx) => {
    const period = await lockAndMaintain(tx, input.workspaceId, at);
    return applyPlanChange(tx, { ...input, at, period });
  });
}

/**
 * changePlan inside a transaction that already holds the workspace lock and ran maintenance.
 * `periodEnd` overrides when a downgrade takes effect (Stripe's period end for subscriptions).
 */
export async function applyPlanChange(
  tx: Tx,
  input: { workspaceId: string; planId: string; actorUserId?: string; at: Date; period: Period; periodEnd?: Date },
): Promise<PlanChange> {
  const { at, period } = input;
  const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: input.workspaceId }, include: { plan: true } });
  const next = await tx.plan.findUnique({ where: { id: input.planId } });
  if (!next || !next.active) throw new AppError("validation_failed", `Unknown plan "${input.planId}".`, { details: { field: "plan" } });

  if (next.id === workspace.planId) {
    await tx.workspace.update({ where: { id: workspace.id }, data: { pendingPlanId: null, pendingPlanAt: null } });
    return { planId: next.id, effective: "now", effectiveAt: at, toppedUp: 0 };
  }
  if (rank(next.monthlyCredits) <= rank(workspace.plan.monthlyCredits)) {
    const effectiveAt = input.periodEnd ?? period.end;
    await tx.workspace.update({ where: { id: workspace.id }, data: { pendingPlanId: next.id, pendingPlanAt: effectiveAt } });
    return { planId: next.id, effective: "period_end", effectiveAt, toppedUp: 0 };
  }

  await tx.workspace.update({ where: { id: workspace.id }, data: { planId: next.id, pendingPlanId: null, pendingPlanAt: null } });
  let toppedUp = 0;
  if (next.monthlyCredits !== null) {
    const current = await tx.creditGrant.findUnique({
      where: { workspaceId_source: { workspaceId: workspace.id, source: periodSource(period) } },
    });
    toppedUp = next.monthlyCredits - (current?.amount ?? 0);
    if (current && toppedUp > 0) {
      await growGrant(tx, {
        workspaceId: workspace.id,
        grantId: current.id,
        credits: toppedUp,
        at,
        actor: { userId: input.actorUserId },
        reason: `upgrade to ${next.name}`,
      });
      await drainQueue(tx, workspace.id, at);
    }
    // No grant yet this period (e.g. it was paused): maintenance grants the new plan's full allowance.
    if (!current) await maintain(tx, workspace.id, at);
  }
  return { planId: next.id, effective: "now", effectiveAt: at, toppedUp: Math.max(0, toppedUp) };
}

/** Ranks plans by allowance; unlimited (null) above every metered one. */
export function planRank(monthlyCredits: number | null): number {
  return rank(monthlyCredits);
}
