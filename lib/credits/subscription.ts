import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import type { BillingInterval, Period } from "@/lib/credits/periods";
import { lockAndMaintain, maintain } from "@/lib/credits/maintenance";
import { applyPlanChange } from "@/lib/credits/plans";
import { applyPaymentTimeline, FREE_PLAN_ID, retireAllowances, settleOnFree, unpause } from "@/lib/credits/standing";

/**
 * What the payment provider says about a workspace's subscription, in our terms. lib/billing maps a
 * Stripe subscription to this; the ledger never calls Stripe.
 */
export type SubscriptionState = {
  workspaceId: string;
  subscriptionId: string;
  planId: string;
  interval: BillingInterval;
  /** ENDED: canceled or expired — the workspace goes back to Free now. */
  status: "TRIALING" | "ACTIVE" | "PAST_DUE" | "ENDED";
  /** When the subscription started: an annual plan's allowances renew on this day of the month. */
  startedAt: Date;
  /** The end of the provider's current period: when a downgrade or cancellation takes effect. */
  periodEnd: Date;
  cancelAtPeriodEnd: boolean;
  /** When the unpaid invoice first failed (past due only). */
  pastDueSince: Date | null;
  trialStartedAt: Date | null;
  /** When the running trial ends (trialing only). */
  trialEndsAt: Date | null;
};

/** The workspace's plan as billing mail compares it (lib/billing/notifications.ts). */
export type PlanStanding = {
  planId: string;
  pendingPlanId: string | null;
  pendingPlanAt: Date | null;
  subscriptionStatus: "NONE" | "TRIALING" | "ACTIVE" | "PAST_DUE" | "PAUSED" | "CANCELED";
  stripeSubscriptionId: string | null;
};

/**
 * What one convergence changed: the standing before (read under the workspace lock, after maintenance)
 * and after. Of any number of deliveries racing with the same news, the lock lets exactly one see the
 * transition; the others see before = after.
 */
export type SubscriptionChange = {
  workspaceId: string;
  subscriptionId: string;
  at: Date;
  periodStart: Date;
  before: PlanStanding;
  after: PlanStanding;
};

const STANDING = { planId: true, pendingPlanId: true, pendingPlanAt: true, subscriptionStatus: true, stripeSubscriptionId: true } as const;

/**
 * Converges the workspace to the subscription's state; calling it again with the same state changes
 * nothing, so webhook events may arrive in any order and more than once. Upgrades take effect at
 * once (the period's allowance grows by the difference); downgrades and cancellations at `periodEnd`;
 * past due starts the failed-payment timeline; a payment ends it and restores the plan at once.
 * Returns what changed (nothing is sent from here: the caller mails after the commit).
 */
export async function setSubscriptionState(state: SubscriptionState, tx?: Tx): Promise<SubscriptionChange> {
  if (!tx) return db.$transaction((t) => setSubscriptionState(state, t));
  const at = now();
  const period = await lockAndMaintain(tx, state.workspaceId, at);
  const before = await tx.workspace.findUniqueOrThrow({ where: { id: state.workspaceId }, select: STANDING });
  await converge(tx, state, at, period);
  const after = await tx.workspace.findUniqueOrThrow({ where: { id: state.workspaceId }, select: STANDING });
  return { workspaceId: state.workspaceId, subscriptionId: state.subscriptionId, at, periodStart: period.start, before, after };
}

async function converge(tx: Tx, state: SubscriptionState, at: Date, maintained: Period): Promise<void> {
  let period = maintained;
  const workspace = await tx.workspace.findUniqueOrThrow({
    where: { id: state.workspaceId },
    select: {
      stripeSubscriptionId: true,
      subscriptionStatus: true,
      pastDueSince: true,
      billingInterval: true,
      trialUsedAt: true,
      subscriptionEndedAt: true,
    },
  });
  // A subscription that started before the last one ended is over for us: its late news changes nothing.
  const adopted = workspace.stripeSubscriptionId === state.subscriptionId;
  if (!adopted && workspace.subscriptionEndedAt && state.startedAt <= workspace.subscriptionEndedAt) return;
  // News about a subscription this workspace has since replaced changes nothing.
  if (workspace.stripeSubscriptionId && workspace.stripeSubscriptionId !== state.subscriptionId && state.status === "ENDED") return;

  // The plan lapsed after 30 days past due: only a payment (or the end) changes that.
  if (workspace.subscriptionStatus === "CANCELED" && adopted && state.status === "PAST_DUE") return;

  if (state.status === "ENDED") {
    if (adopted || workspace.subscriptionStatus !== "NONE") {
      await settleOnFree(tx, state.workspaceId, at, period, {
        status: "NONE",
        reason: "Subscription ended: back on the Free plan",
        clearSubscription: true,
      });
    }
    return;
  }

  if (workspace.billingInterval !== state.interval) {
    // Monthly plans follow calendar months; annual plans renew on their start's day of the month.
    await tx.workspace.update({
      where: { id: state.workspaceId },
      data: { billingInterval: state.interval, ...(state.interval === "YEAR" ? { periodAnchor: state.startedAt } : {}) },
    });
    // The old period's allowance is replaced by the new period's (granted by maintenance just below).
    await retireAllowances(
      tx,
      state.workspaceId,
      at,
      `Billing changed to ${state.interval === "YEAR" ? "annual" : "monthly"}: allowance replaced`,
    );
    period = await maintain(tx, state.workspaceId, at);
  }

  const wasPaused = workspace.subscriptionStatus === "PAUSED";
  const pastDue = state.status === "PAST_DUE";
  if (wasPaused && !pastDue) await unpause(tx, state.workspaceId, at);
  const pastDueSince = pastDue ? (workspace.pastDueSince ?? state.pastDueSince ?? at) : null;
  await tx.workspace.update({
    where: { id: state.workspaceId },
    data: {
      stripeSubscriptionId: state.subscriptionId,
      subscriptionStatus: pastDue ? (wasPaused ? "PAUSED" : "PAST_DUE") : state.status,
      pastDueSince,
      trialUsedAt: workspace.trialUsedAt ?? state.trialStartedAt,
      trialEndsAt: state.status === "TRIALING" ? state.trialEndsAt : null,
      billingPeriodEnd: state.periodEnd,
    },
  });

  await applyPlanChange(tx, { workspaceId: state.workspaceId, planId: state.planId, at, period, periodEnd: state.periodEnd });
  if (state.cancelAtPeriodEnd) {
    await applyPlanChange(tx, { workspaceId: state.workspaceId, planId: FREE_PLAN_ID, at, period, periodEnd: state.periodEnd });
  }
  if (pastDueSince) {
    await applyPaymentTimeline(
      tx,
      { id: state.workspaceId, subscriptionStatus: wasPaused ? "PAUSED" : "PAST_DUE", pastDueSince },
      at,
      period,
    );
  }
}
