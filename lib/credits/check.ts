import "server-only";
import { db, type Db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { creditPeriod } from "@/lib/credits/periods";
import { spendableGrants } from "@/lib/credits/ledger";
import { lockAndMaintain } from "@/lib/credits/maintenance";
import { retryAfterSeconds, shortfallOutcome } from "@/lib/credits/policy";
import { currentPrice } from "@/lib/pricing/prices";
import type { OutOfCreditsPolicy } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/credits/ledger";
import { validQuantity } from "@/lib/credits/charge";
import { applying, applyingWhere, budgetStatus, tightestPassed, type BudgetBody } from "@/lib/credits/budgets";

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
  /** The hard budget the call would pass (then denied whatever the balance), or null. */
  budget: BudgetBody | null;
};

type CheckInput = { workspaceId: string; actionKey: string; quantity: number; actor?: Actor };

/** Thrown to roll the dry run's transaction back, carrying its answer out. */
class DryRun extends Error {
  constructor(readonly result: CheckResult) {
    super("dry run");
  }
}

async function evaluate(client: Db | Tx, input: CheckInput, at: Date): Promise<CheckResult> {
  const who = input.actor ?? {};
  const [workspace, price, grants] = await Promise.all([
    client.workspace.findUnique({
      where: { id: input.workspaceId },
      select: {
        billingInterval: true,
        periodAnchor: true,
        plan: { select: { monthlyCredits: true } },
        // How many budgets apply to this call: most workspaces have none, and then budget_status is not read.
        _count: { select: { budgets: { where: applyingWhere(who) } } },
      },
    }),
    currentPrice(client, input.actionKey, at),
    spendableGrants(client, input.workspaceId, at),
  ]);
  if (!workspace) throw new AppError("not_found", "Workspace not found.");
  if (!price || !price.active)
    throw new AppError("validation_failed", `Unknown action "${input.actionKey}".`, { details: { field: "action" } });
  const resetAt = creditPeriod(at, workspace.billingInterval, workspace.periodAnchor).end;
  const remaining = grants.reduce((s, g) => s + g.remaining, 0);
  const cost = price.credits * input.quantity;
  const unmetered = workspace.plan.monthlyCredits === null;
  // As credits_charge: a hard budget that applies and would be passed refuses the call before the balance.
  const budget =
    cost > 0 && workspace._count.budgets > 0
      ? tightestPassed(applying(await budgetStatus(input.workspaceId, at, client), who), cost)
      : null;
  if (budget)
    return {
      allowed: false,
      outcome: "deny",
      policy: price.policy,
      cost,
      remaining,
      remainingAfter: remaining,
      resetAt,
      retryAfterSeconds: null,
      budget,
    };
  const fits = unmetered || cost <= remaining;
  const outcome = fits ? "charge" : shortfallOutcome(price.policy, false);
  return {
    allowed: fits,
    outcome,
    policy: price.policy,
    cost,
    remaining,
    remainingAfter: fits && !unmetered ? remaining - cost : remaining,
    resetAt,
    retryAfterSeconds: outcome === "deny" ? retryAfterSeconds(price.policy, resetAt, at) : null,
    budget: null,
  };
}

/**
 * Dry run of a debit: allowed?, cost, remaining after, reset date — exactly what a debit now would see.
 * Writes nothing: when period maintenance is due (a reset, an expired hold, queued work that would be
 * charged first), it runs in a transaction that is rolled back after the answer is read.
 */
export async function check(input: Omit<CheckInput, "quantity"> & { quantity?: number }): Promise<CheckResult> {
  const quantity = validQuantity(input.quantity);
  const at = now();
  const args = { ...input, quantity };
  const [row] = await db.$queryRaw<{ due: boolean }[]>`SELECT "credits_maintenance_due"(${input.workspaceId}, ${at}::timestamp(3)) AS due`;
  if (!row?.due) return evaluate(db, args, at);
  try {
    await db.$transaction(async (tx) => {
      await lockAndMaintain(tx, input.workspaceId, at);
      throw new DryRun(await evaluate(tx, args, at));
    });
  } catch (err) {
    if (err instanceof DryRun) return err.result;
    throw err;
  }
  throw new Error("unreachable");
}
