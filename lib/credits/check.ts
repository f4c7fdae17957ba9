import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { creditPeriod } from "@/lib/credits/periods";
import { spendableGrants } from "@/lib/credits/ledger";
import { currentPrice } from "@/lib/pricing/prices";
import { retryAfterSeconds, shortfallOutcome } from "@/lib/credits/policy";
import type { OutOfCreditsPolicy } from "@/lib/generated/prisma/client";

export type CheckResult = {
  allowed: boolean;
  /** What a debit now would do: charge, queue (queue policy), or deny. */
  outcome: "charge" | "queue" | "deny";
  policy: OutOfCreditsPolicy;
  cost: number;
  remaining: number;
  remainingAfter: number;
  resetAt: Date;
  retryAfterSeconds: number | null;
};

/**
 * Dry run of a debit: allowed?, cost, remaining after, reset date. Writes nothing — not even a due
 * rollover: it counts the allowance a rollover would grant instead.
 */
export async function check(input: { workspaceId: string; actionKey: string; quantity?: number }): Promise<CheckResult> {
  const quantity = input.quantity ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
    throw new AppError("invalid_request", "quantity must be a whole number from 1 to 1,000,000.", { details: { field: "quantity" } });
  }
  const at = now();
  const workspace = await db.workspace.findUnique({
    where: { id: input.workspaceId },
    select: {
      billingInterval: true,
      periodAnchor: true,
      subscriptionStatus: true,
      pendingPlanId: true,
      pendingPlanAt: true,
      plan: { select: { monthlyCredits: true } },
    },
  });
  if (!workspace) throw new AppError("not_found", "Workspace not found.");
  // A scheduled plan change that is due counts as done.
  const pendingPlan =
    workspace.pendingPlanId && workspace.pendingPlanAt && workspace.pendingPlanAt <= at
      ? await db.plan.findUnique({ where: { id: workspace.pendingPlanId }, select: { monthlyCredits: true } })
      : null;
  const monthlyCredits = pendingPlan ? pendingPlan.monthlyCredits : workspace.plan.monthlyCredits;
  const [price, grants, currentAllowance] = await Promise.all([
    currentPrice(db, input.actionKey, at),
    spendableGrants(db, input.workspaceId, at),
    db.creditGrant.findFirst({ where: { workspaceId: input.workspaceId, type: "SUBSCRIPTION", expiresAt: { gt: at } }, select: { id: true } }),
  ]);
  if (!price || !price.active) {
    throw new AppError("validation_failed", `Unknown action "${input.actionKey}".`, { details: { field: "action" } });
  }
  const period = creditPeriod(at, workspace.billingInterval, workspace.periodAnchor);
  const dueAllowance = monthlyCredits !== null && workspace.subscriptionStatus !== "PAUSED" && !currentAllowance ? monthlyCredits : 0;
  const remaining = grants.reduce((s, g) => s + g.remaining, 0) + dueAllowance;
  const cost = price.credits * quantity;
  const unmetered = monthlyCredits === null;
  const fits = unmetered || cost <= remaining;
  const outcome = fits ? "charge" : shortfallOutcome(price.policy, false);
  return {
    allowed: fits,
    outcome,
    policy: price.policy,
    cost,
    remaining,
    remainingAfter: fits && !unmetered ? remaining - cost : remaining,
    resetAt: period.end,
    retryAfterSeconds: outcome === "deny" ? retryAfterSeconds(price.policy, period.end, at) : null,
  };
}
