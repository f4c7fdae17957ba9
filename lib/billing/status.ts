import { db } from "@/lib/db";
import { FREE_AFTER_MS, FREE_PLAN_ID, PAUSE_AFTER_MS } from "@/lib/credits";

export type BillingStatus = {
  status: "NONE" | "TRIALING" | "ACTIVE" | "PAST_DUE" | "PAUSED" | "CANCELED";
  interval: "month" | "year";
  hasSubscription: boolean;
  trialEligible: boolean;
  /** A scheduled change: a downgrade (to another plan) or a cancellation (to Free), with its date. */
  pending: { planId: string; planName: string; at: string; cancels: boolean } | null;
  /** Past due: when the plan allowance freezes and when the workspace returns to Free. */
  pastDue: { since: string; pausesAt: string; freeAt: string } | null;
};

/** The subscription facts the billing page shows next to the credit figures. */
export async function billingStatus(workspaceId: string): Promise<BillingStatus> {
  const w = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { subscriptionStatus: true, billingInterval: true, stripeSubscriptionId: true, trialUsedAt: true, pendingPlanId: true, pendingPlanAt: true, pastDueSince: true },
  });
  const pendingPlan = w.pendingPlanId ? await db.plan.findUnique({ where: { id: w.pendingPlanId }, select: { id: true, name: true } }) : null;
  const since = w.pastDueSince?.getTime();
  return {
    status: w.subscriptionStatus,
    interval: w.billingInterval === "YEAR" ? "year" : "month",
    hasSubscription: Boolean(w.stripeSubscriptionId) && w.subscriptionStatus !== "NONE" && w.subscriptionStatus !== "CANCELED",
    trialEligible: !w.trialUsedAt,
    pending:
      pendingPlan && w.pendingPlanAt
        ? { planId: pendingPlan.id, planName: pendingPlan.name, at: w.pendingPlanAt.toISOString(), cancels: pendingPlan.id === FREE_PLAN_ID }
        : null,
    pastDue:
      since !== undefined
        ? { since: new Date(since).toISOString(), pausesAt: new Date(since + PAUSE_AFTER_MS).toISOString(), freeAt: new Date(since + FREE_AFTER_MS).toISOString() }
        : null,
  };
}
