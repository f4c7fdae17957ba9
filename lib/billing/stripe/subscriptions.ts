import Stripe from "stripe";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { creditPeriod, planRank, setSubscriptionState, type SubscriptionState } from "@/lib/credits";
import { stripe } from "@/lib/billing/stripe/client";
import { ensureCustomer } from "@/lib/billing/stripe/customers";
import { planOfPrice, planPrice, type PlanInterval } from "@/lib/billing/stripe/prices";
import { notifyPlanChange } from "@/lib/billing/notifications";

const fromUnix = (seconds: number) => new Date(seconds * 1000);

/** The first 00:00 UTC on the 1st of a month after `at` (the monthly credit period's end): monthly plans bill on the 1st. */
export function nextFirstOfMonth(at: Date): Date {
  return creditPeriod(at, "MONTH", at).end;
}

async function sellablePlan(planId: string) {
  const plan = await db.plan.findUnique({ where: { id: planId } });
  if (!plan || !plan.active) {
    throw new AppError("invalid_plan", `There is no plan "${planId}".`, { nextStep: "Pick one of the plans listed by GET /api/v1/pricing.", details: { field: "plan" } });
  }
  if (plan.contactSales) {
    throw new AppError("invalid_plan", `${plan.name} is sold by our team.`, { nextStep: "Contact sales for Enterprise.", details: { field: "plan" } });
  }
  if (plan.priceMonthlyCents === 0) {
    throw new AppError("invalid_plan", `${plan.name} is free: cancel the subscription to return to it.`, { nextStep: "Use Manage billing to cancel.", details: { field: "plan" } });
  }
  return plan;
}

/**
 * A subscription Checkout Session. Monthly plans bill on the 1st (the first partial month prorated);
 * annual plans on their anniversary. Paid tiers offer one trial per workspace (Stripe Checkout cannot
 * anchor a trial, so a trial bills on its end date — docs/decisions/006-subscriptions.md).
 */
export async function createPlanCheckout(input: { workspaceId: string; email: string; planId: string; interval: PlanInterval }): Promise<{ id: string; url: string }> {
  const plan = await sellablePlan(input.planId);
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: input.workspaceId } });
  if (workspace.stripeSubscriptionId && workspace.subscriptionStatus !== "NONE") {
    throw new AppError("conflict", "This workspace already has a subscription.", {
      nextStep: "Change plans with POST /api/stripe/change-plan, or cancel in Manage billing.",
    });
  }
  const [customer, price] = await Promise.all([ensureCustomer(input.workspaceId, input.email), planPrice(plan, input.interval)]);
  const trial = plan.trialDays > 0 && !workspace.trialUsedAt;
  const metadata = { workspace_id: input.workspaceId, plan_id: plan.id, interval: input.interval };
  const session = await stripe().checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: input.workspaceId,
    line_items: [{ price: price.id, quantity: 1 }],
    metadata,
    subscription_data: {
      metadata,
      ...(trial
        ? { trial_period_days: plan.trialDays }
        : input.interval === "month"
          ? { billing_cycle_anchor: Math.floor(nextFirstOfMonth(now()).getTime() / 1000), proration_behavior: "create_prorations" as const }
          : {}),
    },
    success_url: appUrl("/settings/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}"),
    cancel_url: appUrl("/settings/billing?checkout=cancelled"),
  });
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return { id: session.id, url: session.url };
}

/**
 * Changes the plan of an existing subscription. Upgrades are invoiced now (prorated) and take effect
 * at once; downgrades change the price without proration, so the new price is billed from the next
 * period, and the ledger keeps the current plan until then. The new state is applied right away (the
 * webhook that follows converges to the same).
 */
export async function changeSubscriptionPlan(input: { workspaceId: string; planId: string; interval: PlanInterval }) {
  const plan = await sellablePlan(input.planId);
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: input.workspaceId }, include: { plan: true } });
  if (!workspace.stripeSubscriptionId) throw new AppError("conflict", "This workspace has no subscription to change.", { nextStep: "Subscribe through POST /api/stripe/create-checkout." });
  const subscription = await stripe().subscriptions.retrieve(workspace.stripeSubscriptionId);
  const item = subscription.items.data[0];
  if (!item) throw new Error(`subscription ${subscription.id} has no items`);
  const price = await planPrice(plan, input.interval);
  const upgrade = planRank(plan.monthlyCredits) > planRank(workspace.plan.monthlyCredits);
  const updated = await stripe().subscriptions.update(subscription.id, {
    items: [{ id: item.id, price: price.id }],
    proration_behavior: upgrade ? "always_invoice" : "none",
    cancel_at_period_end: false,
    metadata: { ...subscription.metadata, plan_id: plan.id, interval: input.interval },
  });
  await applySubscription(updated);
  return { planId: plan.id, effective: upgrade ? "now" : "period_end" };
}

/**
 * Reads the subscription from Stripe and converges the workspace to it (every subscription webhook);
 * returns the subscription as read, for the handler's mail.
 */
export async function syncSubscription(subscriptionId: string): Promise<Stripe.Subscription> {
  const subscription = await stripe().subscriptions.retrieve(subscriptionId, { expand: ["latest_invoice"] });
  await applySubscription(subscription);
  return subscription;
}

/** Converges, then — after the commit — mails the plan change it made, if any (never throws for mail). */
async function applySubscription(subscription: Stripe.Subscription): Promise<void> {
  const state = await subscriptionState(subscription);
  if (!state) return;
  const change = await setSubscriptionState(state);
  await notifyPlanChange(change, subscription);
}

/** Stripe's subscription in the ledger's terms, or null when it is not one of ours. */
export async function subscriptionState(subscription: Stripe.Subscription): Promise<SubscriptionState | null> {
  const item = subscription.items.data[0];
  const planId = planOfPrice(item?.price) ?? subscription.metadata?.plan_id;
  const workspaceId = subscription.metadata?.workspace_id ?? (await workspaceOfCustomer(subscription.customer));
  // incomplete: the first payment has not gone through yet; nothing to grant until it does.
  if (!item || !planId || !workspaceId || subscription.status === "incomplete") return null;
  const invoice = typeof subscription.latest_invoice === "object" ? subscription.latest_invoice : null;
  return {
    workspaceId,
    subscriptionId: subscription.id,
    planId,
    interval: item.price.recurring?.interval === "year" ? "YEAR" : "MONTH",
    status: STATUS[subscription.status] ?? "ENDED",
    startedAt: fromUnix(subscription.start_date),
    periodEnd: fromUnix(item.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    pastDueSince: subscription.status === "past_due" && invoice && invoice.status === "open" ? fromUnix(invoice.created) : null,
    trialStartedAt: subscription.trial_start ? fromUnix(subscription.trial_start) : null,
  };
}

const STATUS: Partial<Record<Stripe.Subscription.Status, SubscriptionState["status"]>> = {
  trialing: "TRIALING",
  active: "ACTIVE",
  past_due: "PAST_DUE",
  unpaid: "PAST_DUE",
  canceled: "ENDED",
  incomplete_expired: "ENDED",
};

async function workspaceOfCustomer(customer: string | Stripe.Customer | Stripe.DeletedCustomer): Promise<string | null> {
  const id = typeof customer === "string" ? customer : customer.id;
  const workspace = await db.workspace.findUnique({ where: { stripeCustomerId: id }, select: { id: true } });
  return workspace?.id ?? null;
}

/**
 * Workspaces whose plan lapsed after 30 days past due (the ledger put them on Free): cancel what is left
 * of their Stripe subscription so Stripe stops retrying, then forget it. Run by the jobs worker.
 */
export async function cancelLapsedSubscriptions(): Promise<number> {
  const lapsed = await db.workspace.findMany({
    where: { subscriptionStatus: "CANCELED", stripeSubscriptionId: { not: null } },
    select: { id: true, stripeSubscriptionId: true },
    take: 100,
  });
  let cancelled = 0;
  for (const workspace of lapsed) {
    const id = workspace.stripeSubscriptionId!;
    try {
      const subscription = await stripe().subscriptions.retrieve(id);
      if (subscription.status !== "canceled") await stripe().subscriptions.cancel(id, {}, { idempotencyKey: `creditbook-lapse-${id}` });
    } catch (err) {
      // One failure must not stop the others; the next run tries again (and the log says why).
      console.error(`stripe: could not cancel lapsed subscription ${id}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    cancelled++;
    await db.workspace.updateMany({
      where: { id: workspace.id, stripeSubscriptionId: id },
      data: { stripeSubscriptionId: null, subscriptionStatus: "NONE", subscriptionEndedAt: now() },
    });
  }
  return cancelled;
}

/**
 * Ends a subscription at once, without proration or a final invoice: the workspace it paid for is being
 * closed (its only member deleted their account, lib/accounts/delete.ts). Already-ended subscriptions
 * are left alone, and so is one Stripe does not know (nothing there to charge). Throws when Stripe cannot
 * be reached or refuses: the caller then stops, so a deleted account is never left paying.
 */
export async function cancelSubscriptionNow(subscriptionId: string): Promise<"cancelled" | "already_ended" | "unknown"> {
  let subscription: Stripe.Subscription;
  try {
    subscription = await stripe().subscriptions.retrieve(subscriptionId);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "resource_missing") return "unknown";
    throw err;
  }
  if (subscription.status === "canceled" || subscription.status === "incomplete_expired") return "already_ended";
  await stripe().subscriptions.cancel(subscriptionId, {}, { idempotencyKey: `creditbook-close-${subscriptionId}` });
  return "cancelled";
}
