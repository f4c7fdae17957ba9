import "server-only";
import { db } from "@/lib/db";
import { FREE_AFTER_MS, FREE_PLAN_ID, PAUSE_AFTER_MS } from "@/lib/credits";
import { planIntervalOf, planPriceCents, type PlanInterval } from "@/lib/billing/stripe/prices";

/**
 * The one answer to "what plan is this workspace on, and what happens next?" (issue 18). Billing's plan
 * card, the plan grid, the notices and the buttons all read it, so they cannot disagree. It is derived
 * from the workspace row alone, which every Stripe event converges (lib/credits/subscription.ts), so the
 * page costs no Stripe call; the exact next invoice comes from Stripe in the invoices card.
 */
export type PlanState = PlanStateCommon & PlanStateKind;

export type PlanSummary = {
  id: string;
  name: string;
  /** null: unlimited (Enterprise). */
  monthlyCredits: number | null;
  /** The price of one billing interval of this plan, in cents. */
  priceCents: number;
};

/** An amount Stripe will charge, and when. */
export type Charge = { amountCents: number; at: string };

type PlanStateCommon = {
  plan: PlanSummary;
  interval: PlanInterval;
  /** Whether a Stripe subscription backs the plan (plan changes then go through it, not through Checkout). */
  subscribed: boolean;
  /** A paid plan bought now would start with a free trial (one per workspace). */
  trialEligible: boolean;
};

export type PlanStateKind =
  /** On Free. `lapsed`: it came back to Free after 30 days unpaid. */
  | { kind: "free"; lapsed: boolean }
  /** A paid plan in its free trial: nothing charged until `trialEndsAt`, then `firstCharge`. */
  | { kind: "trialing"; trialEndsAt: string; firstCharge: Charge }
  /** A paid plan in good standing. `renewsAt` null: no subscription behind it (granted by an operator). */
  | { kind: "active"; renewsAt: string | null; nextCharge: Charge | null }
  /** The last payment failed: everything works until `pausesAt`; unpaid, back to Free on `freeAt`. */
  | { kind: "past_due"; since: string; pausesAt: string; freeAt: string }
  /** Unpaid for 7 days: the plan's allowance is frozen; back to Free on `freeAt`. */
  | { kind: "paused"; since: string; freeAt: string }
  /** Set to cancel: the plan (or its trial) runs until `endsAt`, then Free. Can be undone until then. */
  | { kind: "cancelling"; endsAt: string; trial: boolean }
  /** A downgrade waiting for the period end: `to` from `at`, charged `to.priceCents` from then. Can be undone. */
  | { kind: "scheduled"; to: PlanSummary; at: string; trial: boolean };

export type PlanStateKindName = PlanStateKind["kind"];

/** The facts the state is derived from: the workspace row and its plans, as the loader reads them. */
export type PlanFacts = {
  plan: PlanRow;
  pendingPlan: PlanRow | null;
  pendingPlanAt: Date | null;
  interval: PlanInterval;
  subscriptionStatus: "NONE" | "TRIALING" | "ACTIVE" | "PAST_DUE" | "PAUSED" | "CANCELED";
  stripeSubscriptionId: string | null;
  pastDueSince: Date | null;
  trialUsedAt: Date | null;
  trialEndsAt: Date | null;
  billingPeriodEnd: Date | null;
};

type PlanRow = { id: string; name: string; monthlyCredits: number | null; priceMonthlyCents: number; priceYearlyCents: number };

const iso = (d: Date) => d.toISOString();

function summary(plan: PlanRow, interval: PlanInterval): PlanSummary {
  return { id: plan.id, name: plan.name, monthlyCredits: plan.monthlyCredits, priceCents: planPriceCents(plan, interval) };
}

/** Pure: the plan state of these facts. Payment problems come first, then what is scheduled, then the trial. */
export function derivePlanState(f: PlanFacts): PlanState {
  const plan = summary(f.plan, f.interval);
  const subscribed = f.stripeSubscriptionId !== null && f.subscriptionStatus !== "NONE" && f.subscriptionStatus !== "CANCELED";
  const common: PlanStateCommon = { plan, interval: f.interval, subscribed, trialEligible: !f.trialUsedAt };
  const trial = f.subscriptionStatus === "TRIALING";
  const since = f.pastDueSince?.getTime();
  if (since !== undefined && (f.subscriptionStatus === "PAUSED" || f.subscriptionStatus === "PAST_DUE")) {
    const freeAt = iso(new Date(since + FREE_AFTER_MS));
    return f.subscriptionStatus === "PAUSED"
      ? { ...common, kind: "paused", since: iso(new Date(since)), freeAt }
      : { ...common, kind: "past_due", since: iso(new Date(since)), pausesAt: iso(new Date(since + PAUSE_AFTER_MS)), freeAt };
  }
  if (f.pendingPlan && f.pendingPlanAt) {
    return f.pendingPlan.id === FREE_PLAN_ID
      ? { ...common, kind: "cancelling", endsAt: iso(f.pendingPlanAt), trial }
      : { ...common, kind: "scheduled", to: summary(f.pendingPlan, f.interval), at: iso(f.pendingPlanAt), trial };
  }
  const trialEnd = f.trialEndsAt ?? f.billingPeriodEnd;
  if (trial && trialEnd)
    return { ...common, kind: "trialing", trialEndsAt: iso(trialEnd), firstCharge: { amountCents: plan.priceCents, at: iso(trialEnd) } };
  if (f.plan.id === FREE_PLAN_ID) return { ...common, kind: "free", lapsed: f.subscriptionStatus === "CANCELED" };
  const renewsAt = subscribed && f.billingPeriodEnd ? iso(f.billingPeriodEnd) : null;
  return {
    ...common,
    kind: "active",
    renewsAt,
    nextCharge: renewsAt && plan.priceCents > 0 ? { amountCents: plan.priceCents, at: renewsAt } : null,
  };
}

const PLAN_ROW = { id: true, name: true, monthlyCredits: true, priceMonthlyCents: true, priceYearlyCents: true } as const;

/** The workspace's plan state, read from its row (two small queries). */
export async function loadPlanState(workspaceId: string): Promise<PlanState> {
  const w = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: {
      plan: { select: PLAN_ROW },
      pendingPlanId: true,
      pendingPlanAt: true,
      billingInterval: true,
      subscriptionStatus: true,
      stripeSubscriptionId: true,
      pastDueSince: true,
      trialUsedAt: true,
      trialEndsAt: true,
      billingPeriodEnd: true,
    },
  });
  const pendingPlan = w.pendingPlanId ? await db.plan.findUnique({ where: { id: w.pendingPlanId }, select: PLAN_ROW }) : null;
  return derivePlanState({ ...w, pendingPlan, interval: planIntervalOf(w.billingInterval) });
}
