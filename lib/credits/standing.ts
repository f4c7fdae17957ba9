import "server-only";
import type { Tx } from "@/lib/db";
import { moveCredits } from "@/lib/credits/ledger";
import { periodSource, type Period } from "@/lib/credits/periods";
import { freezeGrants, unfreezeGrants } from "@/lib/credits/freeze";

/**
 * A workspace's standing after a failed payment (docs/design.md "Payments and the credit period"):
 * past due at once (banner; everything still spendable) → paused after 7 days (the plan allowance is
 * frozen and no new one is granted; bonus and purchased credits still work) → back on Free after 30
 * days. Paying at any point restores the plan at once (lib/credits/subscription.ts).
 */
export const PAUSE_AFTER_MS = 7 * 86_400_000;
export const FREE_AFTER_MS = 30 * 86_400_000;
export const FREE_PLAN_ID = "free";

type Standing = { id: string; subscriptionStatus: string; pastDueSince: Date | null };

/** Moves a past-due workspace along the timeline as of `at`. Part of period maintenance. */
export async function applyPaymentTimeline(tx: Tx, workspace: Standing, at: Date, period: Period): Promise<void> {
  const { subscriptionStatus: status, pastDueSince } = workspace;
  if ((status !== "PAST_DUE" && status !== "PAUSED") || !pastDueSince) return;
  const overdueMs = at.getTime() - pastDueSince.getTime();
  if (overdueMs >= FREE_AFTER_MS) {
    // CANCELED: the plan lapsed here; the billing job cancels the Stripe subscription that is left.
    await settleOnFree(tx, workspace.id, at, period, { status: "CANCELED", reason: "Payment past due for 30 days: back on the Free plan" });
  } else if (overdueMs >= PAUSE_AFTER_MS && status === "PAST_DUE") {
    await tx.workspace.update({ where: { id: workspace.id }, data: { subscriptionStatus: "PAUSED" } });
    await freezeGrants(tx, {
      workspaceId: workspace.id,
      at,
      types: ["SUBSCRIPTION"],
      reason: "Payment past due for 7 days: plan allowance frozen until paid",
    });
  }
}

/** A paused workspace paid: its plan allowance is spendable again. */
export async function unpause(tx: Tx, workspaceId: string, at: Date): Promise<number> {
  return unfreezeGrants(tx, { workspaceId, at, types: ["SUBSCRIPTION"], reason: "Payment received: plan allowance restored" });
}

/**
 * Puts a workspace on Free now: the subscription ended (or lapsed). This period's allowance shrinks to
 * what Free would have left, never below zero: credits already used stay used.
 */
export async function settleOnFree(
  tx: Tx,
  workspaceId: string,
  at: Date,
  period: Period,
  options: { status: "NONE" | "CANCELED"; reason: string; clearSubscription?: boolean },
): Promise<void> {
  await unpause(tx, workspaceId, at);
  const free = await tx.plan.findUniqueOrThrow({ where: { id: FREE_PLAN_ID }, select: { monthlyCredits: true } });
  await tx.workspace.update({
    where: { id: workspaceId },
    data: {
      planId: FREE_PLAN_ID,
      subscriptionStatus: options.status,
      pendingPlanId: null,
      pendingPlanAt: null,
      pastDueSince: null,
      ...(options.clearSubscription
        ? { stripeSubscriptionId: null, subscriptionEndedAt: at, trialEndsAt: null, billingPeriodEnd: null }
        : {}),
    },
  });
  await shrinkAllowance(tx, { workspaceId, at, period, credits: free.monthlyCredits, reason: options.reason });
}

/**
 * After a move to a smaller plan within a period (a trial that ended, a lapsed plan): this period's
 * allowance keeps only what the new plan would have left, never below zero — used credits stay used.
 * At a period boundary there is no grant yet and nothing to do.
 */
export async function shrinkAllowance(
  tx: Tx,
  input: { workspaceId: string; at: Date; period: Period; credits: number | null; reason: string },
): Promise<void> {
  if (input.credits === null) return; // unlimited: nothing to take back
  const allowance = await tx.creditGrant.findUnique({
    where: { workspaceId_source: { workspaceId: input.workspaceId, source: periodSource(input.period) } },
    select: { id: true, amount: true, remaining: true },
  });
  if (!allowance || allowance.amount <= input.credits) return;
  // Used = what debits and holds took from it (not what earlier shrinks or freezes set aside).
  const spent = await tx.ledgerEntry.aggregate({
    where: { grantId: allowance.id, kind: { in: ["DEBIT", "HOLD", "RELEASE", "REFUND"] } },
    _sum: { amount: true },
  });
  const used = -(spent._sum?.amount ?? 0);
  const excess = allowance.remaining - Math.max(0, input.credits - used);
  if (excess > 0) {
    await moveCredits(tx, {
      workspaceId: input.workspaceId,
      moves: [{ grantId: allowance.id, credits: -excess }],
      kind: "ADJUSTMENT",
      at: input.at,
      reason: input.reason,
    });
  }
}

/** Takes what is left of every unexpired SUBSCRIPTION grant (the allowance of a period being replaced). */
export async function retireAllowances(tx: Tx, workspaceId: string, at: Date, reason: string): Promise<void> {
  await unpause(tx, workspaceId, at);
  const grants = await tx.creditGrant.findMany({
    where: { workspaceId, type: "SUBSCRIPTION", remaining: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    select: { id: true, remaining: true },
  });
  await moveCredits(tx, {
    workspaceId,
    moves: grants.map((g) => ({ grantId: g.id, credits: -g.remaining })),
    kind: "ADJUSTMENT",
    at,
    reason,
  });
}
