import "server-only";
import Stripe from "stripe";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { creditPeriod, planRank, setSubscriptionState, type SubscriptionState } from "@/lib/credits";
import { stripe } from "@/lib/billing/stripe/client";
import { ensureCustomer } from "@/lib/billing/stripe/customers";
import { SETTINGS_RETURN, type ReturnUrls } from "@/lib/billing/stripe/checkout";
import { planIntervalOf, planOfPrice, planPrice, type PlanInterval } from "@/lib/billing/stripe/prices";
import { notifyPlanChange } from "@/lib/billing/notifications";

const fromUnix = (seconds: number) => new Date(seconds * 1000);

/** The first 00:00 UTC on the 1st of a month after `at` (the monthly credit period's end): monthly plans bill on the 1st. */
export function nextFirstOfMonth(at: Date): Date {
  return creditPeriod(at, "MONTH", at).end;
}

async function sellablePlan(planId: string) {
  const plan = await db.plan.findUnique({ where: { id: planId } });
  if (!plan || !plan.active) {
    throw new AppError("invalid_plan", `There is no plan "${planId}".`, {
      nextStep: "Pick one of the plans on the pricing page.",
      details: { field: "plan" },
    });
  }
  if (plan.contactSales) {
    throw new AppError("invalid_plan", `${plan.name} is sold by our team.`, {
      nextStep: "Contact sales for Enterprise.",
      details: { field: "plan" },
    });
  }
  if (plan.priceMonthlyCents === 0) {
    throw new AppError("invalid_plan", `${plan.name} is free: cancel the subscription to return to it.`, {
      nextStep: "Use Manage billing to cancel.",
      details: { field: "plan" },
    });
  }
  return plan;
}

/**
 * A subscription Checkout Session. Monthly plans bill on the 1st (the first partial month prorated);
 * annual plans on their anniversary. Paid tiers offer one trial per workspace (Stripe Checkout cannot
 * anchor a trial, so a trial bills on its end date — docs/decisions/006-subscriptions.md).
 */
export async function createPlanCheckout(input: {
  workspaceId: string;
  email: string;
  planId: string;
  interval: PlanInterval;
  returnUrls?: ReturnUrls;
}): Promise<{ id: string; url: string }> {
  const plan = await sellablePlan(input.planId);
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: input.workspaceId } });
  if (workspace.stripeSubscriptionId && workspace.subscriptionStatus !== "NONE") {
    throw new AppError("conflict", "This workspace already has a subscription.", {
      nextStep: "Choose another plan under Plans on the Billing page, or cancel in Manage billing.",
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
    success_url: (input.returnUrls ?? SETTINGS_RETURN()).success,
    cancel_url: (input.returnUrls ?? SETTINGS_RETURN()).cancel,
  });
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return { id: session.id, url: session.url };
}

/** The subscription behind a workspace's plan, and its one item (our subscriptions have one price). */
async function subscriptionOf(workspaceId: string) {
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, include: { plan: true } });
  if (!workspace.stripeSubscriptionId || workspace.subscriptionStatus === "NONE" || workspace.subscriptionStatus === "CANCELED") {
    throw new AppError("conflict", "This workspace has no subscription to change.", {
      nextStep: "Choose a plan under Plans on the Billing page to subscribe.",
    });
  }
  const subscription = await stripe().subscriptions.retrieve(workspace.stripeSubscriptionId);
  const item = subscription.items.data[0];
  if (!item) throw new Error(`subscription ${subscription.id} has no items`);
  return { workspace, subscription, item };
}

/** How long a previewed amount may be confirmed: the proration is computed at the preview's instant. */
export const QUOTE_TTL_MS = 30 * 60_000;

/**
 * What a plan change would do, before it is made (the confirmation dialog): an upgrade is charged now
 * (Stripe's preview of the prorations, read the way Stripe recommends: the proration lines at the
 * preview's proration date) and adds the difference of the allowances at once; a downgrade charges
 * nothing now and takes effect at the end of the billing period. `prorationDate` goes back with the
 * confirmation so Stripe charges exactly the amount shown.
 */
export async function previewPlanChange(input: {
  workspaceId: string;
  planId: string;
  interval: PlanInterval;
}): Promise<PlanChangePreview> {
  const plan = await sellablePlan(input.planId);
  const { workspace, subscription, item } = await subscriptionOf(input.workspaceId);
  const price = await planPrice(plan, input.interval);
  const fromInterval = planIntervalOf(workspace.billingInterval);
  const upgrade = planRank(plan.monthlyCredits) > planRank(workspace.plan.monthlyCredits);
  const sameInterval = fromInterval === input.interval;
  const periodEnd = fromUnix(item.current_period_end);
  const trial = subscription.status === "trialing";
  const prorationDate = Math.floor(now().getTime() / 1000);
  const base = {
    from: { id: workspace.plan.id, name: workspace.plan.name, monthlyCredits: workspace.plan.monthlyCredits, interval: fromInterval },
    to: { id: plan.id, name: plan.name, monthlyCredits: plan.monthlyCredits, interval: input.interval, priceCents: price.unit_amount ?? 0 },
    trial,
    prorationDate,
  };
  if (plan.id === workspace.plan.id && sameInterval) {
    throw new AppError("conflict", `You are already on ${plan.name}.`, { nextStep: "Pick another plan." });
  }
  if (!upgrade && sameInterval) {
    return {
      ...base,
      direction: "downgrade",
      effective: "period_end",
      effectiveAt: periodEnd.toISOString(),
      dueNowCents: 0,
      creditsNow: 0,
      nextCharge: { amountCents: price.unit_amount ?? 0, at: periodEnd.toISOString() },
    };
  }
  const preview = await stripe().invoices.createPreview({
    customer: subscription.customer as string,
    subscription: subscription.id,
    subscription_details: {
      items: [{ id: item.id, price: price.id }],
      proration_behavior: "always_invoice",
      proration_date: prorationDate,
    },
  });
  // Same interval: the prorations at this instant are invoiced now; a new interval restarts the cycle,
  // and Stripe's preview is then the invoice made now (the new period billed in full, less the credit).
  const dueNowCents = trial
    ? 0
    : sameInterval
      ? preview.lines.data
          .filter((line) => line.parent?.subscription_item_details?.proration && line.period.start === prorationDate)
          .reduce((sum, line) => sum + line.amount, 0)
      : preview.amount_due;
  const creditsNow =
    upgrade && plan.monthlyCredits !== null && workspace.plan.monthlyCredits !== null
      ? plan.monthlyCredits - workspace.plan.monthlyCredits
      : 0;
  const renewal = trial || sameInterval ? periodEnd : fromUnix(preview.period_end);
  return {
    ...base,
    direction: upgrade ? "upgrade" : "downgrade",
    effective: "now",
    effectiveAt: now().toISOString(),
    dueNowCents: Math.max(0, dueNowCents),
    creditsNow,
    nextCharge: { amountCents: price.unit_amount ?? 0, at: renewal.toISOString() },
  };
}

export type PlanChangePreview = {
  direction: "upgrade" | "downgrade";
  from: { id: string; name: string; monthlyCredits: number | null; interval: PlanInterval };
  to: { id: string; name: string; monthlyCredits: number | null; interval: PlanInterval; priceCents: number };
  /** now: the new plan applies at once; period_end: at `effectiveAt`, the billing period's end. */
  effective: "now" | "period_end";
  effectiveAt: string;
  /** Charged today, in cents (0 for a downgrade and during a trial). */
  dueNowCents: number;
  /** Credits added to this period's allowance today. */
  creditsNow: number;
  /** The first charge at the new price. */
  nextCharge: { amountCents: number; at: string };
  /** In the free trial: nothing is charged until it ends. */
  trial: boolean;
  /** Unix seconds: send it back with the confirmation so Stripe prorates at the previewed instant. */
  prorationDate: number;
};

/**
 * Changes the plan of an existing subscription. Upgrades are invoiced now (prorated, at the previewed
 * `prorationDate` when one is given, so the charge is the amount shown) and take effect at once;
 * downgrades change the price without proration, so the new price is billed from the next period, and
 * the ledger keeps the current plan until then. The new state is applied right away (the webhook that
 * follows converges to the same).
 */
export async function changeSubscriptionPlan(input: {
  workspaceId: string;
  planId: string;
  interval: PlanInterval;
  prorationDate?: number;
}) {
  const plan = await sellablePlan(input.planId);
  const { workspace, subscription, item } = await subscriptionOf(input.workspaceId);
  const prorationDate = input.prorationDate === undefined ? undefined : quotedAt(input.prorationDate);
  const price = await planPrice(plan, input.interval);
  const upgrade = planRank(plan.monthlyCredits) > planRank(workspace.plan.monthlyCredits);
  const updated = await stripe().subscriptions.update(subscription.id, {
    items: [{ id: item.id, price: price.id }],
    proration_behavior: upgrade ? "always_invoice" : "none",
    ...(upgrade && prorationDate !== undefined ? { proration_date: prorationDate } : {}),
    cancel_at_period_end: false,
    metadata: { ...subscription.metadata, plan_id: plan.id, interval: input.interval },
  });
  await syncOrLog(updated.id, "a plan change");
  return { planId: plan.id, effective: upgrade ? "now" : "period_end" };
}

/** A previewed proration date, if it is recent enough to be honoured (never in the future: that would prorate less). */
function quotedAt(prorationDate: number): number {
  const age = now().getTime() - prorationDate * 1000;
  if (!Number.isSafeInteger(prorationDate) || age < -5_000 || age > QUOTE_TTL_MS) {
    throw new AppError("conflict", "This price quote has expired.", {
      nextStep: "Review the change again to see the amount due today.",
      details: { field: "proration_date" },
    });
  }
  return Math.min(prorationDate, Math.floor(now().getTime() / 1000));
}

/**
 * Undoes a scheduled downgrade or cancellation before it takes effect: the subscription goes back to
 * the current plan's price (without proration: nothing was charged for the change) and stops cancelling.
 */
export async function undoScheduledChange(workspaceId: string): Promise<{ planId: string }> {
  const { workspace, subscription, item } = await subscriptionOf(workspaceId);
  if (!workspace.pendingPlanId)
    throw new AppError("conflict", "No plan change is scheduled.", { nextStep: "Reload the Billing page to see the current plan." });
  const price = await planPrice(workspace.plan, planIntervalOf(workspace.billingInterval));
  const updated = await stripe().subscriptions.update(subscription.id, {
    ...(item.price.id === price.id ? {} : { items: [{ id: item.id, price: price.id }] }),
    proration_behavior: "none",
    cancel_at_period_end: false,
    metadata: { ...subscription.metadata, plan_id: workspace.plan.id },
  });
  await syncOrLog(updated.id, "undoing a scheduled change");
  return { planId: workspace.plan.id };
}

/**
 * Back from the Billing Portal: converge to what the customer changed there before the page reads the
 * plan, since the webhook telling of it may come after the page. Never throws (the page renders what the
 * ledger has, and the webhook converges later); a workspace without a subscription costs no Stripe call.
 */
export async function syncAfterPortal(workspaceId: string): Promise<void> {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { stripeSubscriptionId: true } });
  if (workspace?.stripeSubscriptionId) await syncOrLog(workspace.stripeSubscriptionId, "the billing portal");
}

/**
 * syncSubscription for a caller that must not fail on it: after a change Stripe has made (and may have
 * charged for), or a return from the portal. A failed read is logged — the subscription's webhook
 * converges the workspace later — so a customer is never told a change failed that went through.
 */
async function syncOrLog(subscriptionId: string, after: string): Promise<void> {
  await syncSubscription(subscriptionId).catch((err: unknown) =>
    console.error(`stripe: converging ${subscriptionId} after ${after} failed: ${err instanceof Error ? err.message : String(err)}`),
  );
}

/** How long a convergence may wait for Stripe's answer while it holds its subscription's turn. */
const SYNC_READ: Stripe.RequestOptions = { timeout: 10_000, maxNetworkRetries: 1 };

/**
 * Reads the subscription from Stripe and converges the workspace to it (every subscription webhook, the
 * returns from Checkout and the portal, our own plan changes); returns the subscription as read, for the
 * caller's mail. One convergence per subscription at a time, across instances (a transaction-scoped
 * advisory lock held from before the read to the commit): two webhooks racing each other, or a webhook
 * and a page, could otherwise apply an older read after a newer one — a cancellation made in the portal
 * undone by the late news of the change before it. The workspace's own lock is only taken to apply, so
 * debits never wait on Stripe.
 */
export function syncSubscription(subscriptionId: string): Promise<Stripe.Subscription> {
  // In turn inside this process too, so waiting syncs of one subscription hold no pool connection.
  const previous = syncing.get(subscriptionId) ?? Promise.resolve();
  const turn = previous.catch(() => undefined).then(() => convergeTo(subscriptionId));
  syncing.set(subscriptionId, turn);
  void turn
    .catch(() => undefined)
    .then(() => {
      if (syncing.get(subscriptionId) === turn) syncing.delete(subscriptionId);
    });
  return turn;
}

/** The latest sync of each subscription in this process (its turn), while one runs. */
const syncing = new Map<string, Promise<Stripe.Subscription>>();

async function convergeTo(subscriptionId: string): Promise<Stripe.Subscription> {
  const { subscription, change } = await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`StripeSubscription:${subscriptionId}`}, 0))`;
      const subscription = await stripe().subscriptions.retrieve(subscriptionId, { expand: ["latest_invoice"] }, SYNC_READ);
      const state = await subscriptionState(subscription);
      return { subscription, change: state ? await setSubscriptionState(state, tx) : null };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  // After the commit: the mail never goes out for a change that did not happen.
  if (change) await notifyPlanChange(change, subscription);
  return subscription;
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
    trialEndsAt: subscription.status === "trialing" && subscription.trial_end ? fromUnix(subscription.trial_end) : null,
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
