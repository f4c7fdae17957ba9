import "server-only";
import type Stripe from "stripe";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { appUrl } from "@/lib/env";
import { budgetDescriptions, FREE_AFTER_MS, FREE_PLAN_ID, PAUSE_AFTER_MS, planRank, type SubscriptionChange } from "@/lib/credits";
import { RESOLVED_BECAUSE, type LimitAlertView, type UsageAlertView } from "@/lib/alerts/rules";
import { sendMail } from "@/lib/mail";
import type { MailContent } from "@/lib/mail/templates";
import {
  autoTopUpFailedMail,
  creditsExhaustedMail,
  limitReachedMail,
  limitResolvedMail,
  paymentFailedMail,
  planChangedMail,
  trialEndingMail,
  usageThresholdMail,
  type PlanChangeMail,
} from "@/lib/mail/billing-templates";
import { unsubscribeHeaders, unsubscribePageUrl } from "@/lib/mail/unsubscribe";

/**
 * Billing mail (issue 18): usage thresholds and running out, a trial about to end, a failed payment, a
 * plan change, a failed auto top-up — to the workspace's owners (the team model has owners and members;
 * members only read usage, so they get none of it).
 *
 * Exactly once per occurrence. Every mail has an occurrence key that names what happened — the
 * UsageAlert row, the unpaid invoice, the trial's end, the attempt — and the outbox row's unique
 * `dedupeKey` is "<occurrence>:<userId>" (lib/mail sendMail: INSERT … ON CONFLICT DO NOTHING, and only
 * the inserter sends). A redelivered webhook, two detectors, a retried job or a reconciliation run
 * finding the same event all compute the same key, so the second sender writes and sends nothing.
 *
 * Never in the way: these functions are called after the change they report has committed (never
 * inside a debit's or a webhook's transaction), and they never throw — a mail that cannot be written
 * or sent is logged, and the webhook or job that asked for it still succeeds. The cost of that choice:
 * a crash between the commit and the mail loses the mail (the portal's banners still show the state).
 *
 * Usage notices are optional (a per-user opt-out: Settings → Account, or the signed link in each notice,
 * lib/mail/unsubscribe.ts); everything else is about money owed or charged and is always sent.
 */

export type NotificationKind =
  | "usage_threshold"
  | "credits_exhausted"
  | "limit_reached"
  | "limit_resolved"
  | "trial_ending"
  | "payment_failed"
  | "plan_changed"
  | "auto_top_up_failed";

type Recipient = { userId: string; email: string; optedOut: boolean };
type Audience = { workspaceName: string; recipients: Recipient[] };

const billingUrl = () => appUrl("/settings/billing");

/** The workspace's owners who can receive mail (not deleted); none for a closed workspace. */
async function ownersOf(workspaceId: string): Promise<Audience | null> {
  const workspace = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: {
      name: true,
      closedAt: true,
      memberships: {
        where: { role: "OWNER", user: { deletedAt: null } },
        orderBy: { createdAt: "asc" },
        select: { user: { select: { id: true, email: true, usageMailOptOutAt: true } } },
      },
    },
  });
  if (!workspace || workspace.closedAt) return null;
  return {
    workspaceName: workspace.name,
    recipients: workspace.memberships.map((m) => ({ userId: m.user.id, email: m.user.email, optedOut: Boolean(m.user.usageMailOptOutAt) })),
  };
}

/** Sends one occurrence's mail to each recipient, once per recipient; returns how many were written now. */
async function deliver(
  audience: Audience,
  occurrence: string,
  kind: NotificationKind,
  content: (recipient: Recipient) => MailContent,
  options: { optional: boolean },
): Promise<number> {
  let written = 0;
  for (const recipient of audience.recipients) {
    if (options.optional && recipient.optedOut) continue;
    const sent = await sendMail({
      kind,
      to: recipient.email,
      dedupeKey: `${occurrence}:${recipient.userId}`,
      ...content(recipient),
      ...(options.optional ? { headers: unsubscribeHeaders(recipient.userId) } : {}),
    });
    if (sent.id && !sent.duplicate) written++;
  }
  return written;
}

/** Runs a notification; any error is logged, never thrown (mail must not fail what it reports). */
async function safely(what: string, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (err) {
    console.error(`[billing mail] ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    return 0;
  }
}

// ───────────────────────────── usage ─────────────────────────────

/** Credits the workspace could spend now: the same sum as the alert detector's `remaining`. */
async function spendableCredits(workspaceId: string, at: Date): Promise<number> {
  const [row] = await db.$queryRaw<{ remaining: bigint | null }[]>`
    SELECT sum(g.remaining) AS remaining FROM "CreditGrant" g
     WHERE g."workspaceId" = ${workspaceId} AND g.remaining > 0 AND (g."expiresAt" IS NULL OR g."expiresAt" > ${at}::timestamp(3))`;
  return Number(row?.remaining ?? 0n);
}

async function nextPlanName(allowance: number): Promise<string | null> {
  const plans = await db.plan.findMany({ where: { active: true, contactSales: false }, select: { name: true, monthlyCredits: true } });
  const higher = plans
    .filter((p) => planRank(p.monthlyCredits) > allowance)
    .sort((a, b) => planRank(a.monthlyCredits) - planRank(b.monthlyCredits));
  return higher[0]?.name ?? null;
}

/**
 * Mails the usage alerts just recorded (lib/alerts/usage-alerts.ts recordDueAlerts: its `recorded`, each
 * a UsageAlert row that exists once per workspace, period and threshold — the crossing as the alerts
 * define it). A 100 % alert with nothing left to spend is the "out of credits" mail.
 */
export function notifyUsageAlerts(workspaceId: string, alerts: readonly UsageAlertView[]): Promise<number> {
  if (alerts.length === 0) return Promise.resolve(0);
  return safely(`usage alerts of ${workspaceId}`, async () => {
    const audience = await ownersOf(workspaceId);
    if (!audience || audience.recipients.every((r) => r.optedOut)) return 0;
    let written = 0;
    for (const alert of alerts) {
      const resetsAt = new Date(alert.periodEnd);
      const exhausted = alert.threshold >= 100 && (alert.outOfCredits || (await spendableCredits(workspaceId, now())) <= 0);
      const next = exhausted || alert.threshold >= 100 ? null : await nextPlanName(alert.allowance);
      const common = {
        workspaceName: audience.workspaceName,
        billingUrl: billingUrl(),
        planName: alert.planName,
        used: alert.used,
        allowance: alert.allowance,
        resetsAt,
      };
      written += await deliver(
        audience,
        `usage_alert:${alert.id}`,
        exhausted ? "credits_exhausted" : "usage_threshold",
        (r) =>
          exhausted
            ? creditsExhaustedMail({ ...common, unsubscribeUrl: unsubscribePageUrl(r.userId) })
            : usageThresholdMail({
                ...common,
                threshold: alert.threshold,
                nextPlanName: next,
                unsubscribeUrl: unsubscribePageUrl(r.userId),
              }),
        { optional: true },
      );
    }
    return written;
  });
}

/**
 * Mails the other edges of limit alerts (lib/alerts/usage-alerts.ts recordDueAlerts): a budget's
 * threshold reached, and any alert that resolved. One mail per limit and edge: of thresholds reached or
 * resolved together (50 % and 80 % at a new period) only the highest is told; its alert id is the
 * occurrence, so each crossing is mailed once. A threshold an owner stopped choosing resolves silently.
 */
export function notifyLimitAlerts(
  workspaceId: string,
  changes: { reached: readonly LimitAlertView[]; resolved: readonly LimitAlertView[] },
) {
  const highest = (alerts: readonly LimitAlertView[]) => [
    ...alerts
      .reduce((top, a) => {
        const key = a.budgetId ?? "allowance";
        if ((top.get(key)?.threshold ?? -1) < a.threshold) top.set(key, a);
        return top;
      }, new Map<string, LimitAlertView>())
      .values(),
  ];
  const reached = highest(changes.reached.filter((a) => a.kind === "budget"));
  const resolved = highest(changes.resolved.filter((a) => a.resolvedReason !== "threshold_removed"));
  if (reached.length + resolved.length === 0) return Promise.resolve(0);
  return safely(`limit alerts of ${workspaceId}`, async () => {
    const audience = await ownersOf(workspaceId);
    if (!audience || audience.recipients.every((r) => r.optedOut)) return 0;
    const ids = [...reached, ...resolved].flatMap((a) => (a.budgetId ? [a.budgetId] : []));
    const budgets = await budgetDescriptions(db, workspaceId, ids);
    const limitName = (a: LimitAlertView) =>
      a.budgetId ? (budgets.get(a.budgetId)?.title ?? "a removed budget") : `your ${a.planName} allowance`;
    const budget = (a: LimitAlertView) => (a.budgetId ? budgets.get(a.budgetId) : undefined);
    const mails = [
      ...reached.map((a) => ({
        edge: "limit_reached" as const,
        a,
        content: (common: { workspaceName: string; unsubscribeUrl: string }) =>
          limitReachedMail({
            ...common,
            billingUrl: appUrl(budget(a)?.page ?? "/settings/billing"),
            limitName: limitName(a),
            threshold: a.threshold,
            used: a.used,
            limit: a.limit,
            resetsAt: a.periodEnd ? new Date(a.periodEnd) : null,
            hard: budget(a)?.hard ?? true,
          }),
      })),
      ...resolved.map((a) => ({
        edge: "limit_resolved" as const,
        a,
        content: (common: { workspaceName: string; unsubscribeUrl: string }) =>
          limitResolvedMail({
            ...common,
            billingUrl: billingUrl(),
            limitName: limitName(a),
            threshold: a.threshold,
            because: RESOLVED_BECAUSE[a.resolvedReason ?? "usage_reduced"],
          }),
      })),
    ];
    let written = 0;
    for (const { edge, a, content } of mails) {
      written += await deliver(
        audience,
        `${edge}:${a.id}`,
        edge,
        (r) => content({ workspaceName: audience.workspaceName, unsubscribeUrl: unsubscribePageUrl(r.userId) }),
        { optional: true },
      );
    }
    return written;
  });
}

// ───────────────────────────── subscriptions ─────────────────────────────

async function planNames(...ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is string => Boolean(id));
  const plans = await db.plan.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(plans.map((p) => [p.id, p.name]));
}

/** The plan change one convergence made (setSubscriptionState's before/after), as a mail, or null. */
function planChangeOf(
  change: SubscriptionChange,
  names: Map<string, string>,
  trialEnd: Date | null,
): { key: string; mail: PlanChangeMail } | null {
  const { before, after, subscriptionId } = change;
  const name = (id: string) => names.get(id) ?? id;
  if (after.planId !== before.planId) {
    if (after.stripeSubscriptionId === subscriptionId && after.subscriptionStatus !== "NONE" && after.planId !== FREE_PLAN_ID) {
      return {
        key: `plan_upgrade:${subscriptionId}:${before.planId}:${after.planId}:${change.periodStart.toISOString()}`,
        mail: {
          change: "upgrade",
          fromPlanName: name(before.planId),
          toPlanName: name(after.planId),
          allowance: null,
          trialEnd: after.subscriptionStatus === "TRIALING" ? trialEnd : null,
        },
      };
    }
    // Ended at once (not at a scheduled period end: maintenance would have moved the plan to Free first).
    if (
      before.stripeSubscriptionId === subscriptionId &&
      after.stripeSubscriptionId === null &&
      after.planId === FREE_PLAN_ID &&
      before.planId !== FREE_PLAN_ID
    ) {
      return { key: `plan_ended:${subscriptionId}`, mail: { change: "ended", planName: name(before.planId) } };
    }
    return null;
  }
  const scheduleMoved = after.pendingPlanId !== before.pendingPlanId || after.pendingPlanAt?.getTime() !== before.pendingPlanAt?.getTime();
  if (!scheduleMoved || !after.pendingPlanId || !after.pendingPlanAt || after.stripeSubscriptionId !== subscriptionId) return null;
  if (after.pendingPlanId === FREE_PLAN_ID) {
    return {
      key: `plan_cancel:${subscriptionId}:${after.pendingPlanAt.toISOString()}`,
      mail: {
        change: "cancellation_scheduled",
        planName: name(after.planId),
        effectiveAt: after.pendingPlanAt,
        trial: after.subscriptionStatus === "TRIALING",
      },
    };
  }
  return {
    key: `plan_downgrade:${subscriptionId}:${after.pendingPlanId}:${after.pendingPlanAt.toISOString()}`,
    mail: {
      change: "downgrade_scheduled",
      fromPlanName: name(after.planId),
      toPlanName: name(after.pendingPlanId),
      effectiveAt: after.pendingPlanAt,
    },
  };
}

/**
 * Mails the plan change a convergence made: an upgrade (a new subscription included), a downgrade
 * scheduled for the period end, a cancellation scheduled, or a subscription that ended at once.
 * Exactly one of any number of racing deliveries sees the transition (the workspace lock), and the
 * occurrence key covers the rest.
 */
export function notifyPlanChange(change: SubscriptionChange, subscription: Stripe.Subscription): Promise<number> {
  return safely(`plan change of ${change.workspaceId}`, async () => {
    const names = await planNames(change.before.planId, change.after.planId, change.after.pendingPlanId);
    const found = planChangeOf(change, names, subscription.trial_end ? new Date(subscription.trial_end * 1000) : null);
    if (!found) return 0;
    const audience = await ownersOf(change.workspaceId);
    if (!audience) return 0;
    let mail = found.mail;
    if (mail.change === "upgrade") {
      const plan = await db.plan.findUnique({ where: { id: change.after.planId }, select: { monthlyCredits: true } });
      mail = { ...mail, allowance: plan?.monthlyCredits ?? null };
    }
    const content = mail;
    return deliver(
      audience,
      found.key,
      "plan_changed",
      () => planChangedMail({ workspaceName: audience.workspaceName, billingUrl: billingUrl(), ...content }),
      { optional: false },
    );
  });
}

async function workspaceOfSubscription(subscription: Stripe.Subscription) {
  return db.workspace.findFirst({
    where: { stripeSubscriptionId: subscription.id },
    select: { id: true, subscriptionStatus: true, pastDueSince: true, plan: { select: { name: true } } },
  });
}

/**
 * customer.subscription.trial_will_end (three days before the trial ends): what will be charged and
 * when, or — cancelled during the trial — that nothing will be. Once per subscription and trial end
 * (a trial moved to another date is a new occurrence, as Stripe sends a new event for it).
 */
export function notifyTrialEnding(subscription: Stripe.Subscription): Promise<number> {
  return safely(`trial notice of ${subscription.id}`, async () => {
    if (subscription.status !== "trialing" || !subscription.trial_end) return 0;
    const trialEnd = new Date(subscription.trial_end * 1000);
    if (trialEnd <= now()) return 0;
    const workspace = await workspaceOfSubscription(subscription);
    const audience = workspace && (await ownersOf(workspace.id));
    if (!workspace || !audience) return 0;
    const item = subscription.items.data[0];
    const price = item?.price;
    const amountCents = price?.unit_amount != null ? price.unit_amount * (item?.quantity ?? 1) : null;
    const content = trialEndingMail({
      workspaceName: audience.workspaceName,
      billingUrl: billingUrl(),
      planName: workspace.plan.name,
      trialEnd,
      amountCents,
      interval: price?.recurring?.interval === "year" ? "year" : "month",
      cancelling:
        subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= subscription.trial_end),
    });
    return deliver(audience, `trial_will_end:${subscription.id}:${subscription.trial_end}`, "trial_ending", () => content, {
      optional: false,
    });
  });
}

/**
 * invoice.payment_failed of a subscription invoice that left the workspace past due: the amount, the
 * date the workspace is paused (7 days after past due started) and the date it returns to Free (30 days)
 * — docs/decisions/006-subscriptions.md. Once per unpaid invoice, however often Stripe retries it.
 */
export function notifyPaymentFailed(invoiceId: string, subscription: Stripe.Subscription): Promise<number> {
  return safely(`payment failure of ${invoiceId}`, async () => {
    const workspace = await workspaceOfSubscription(subscription);
    if (!workspace?.pastDueSince || (workspace.subscriptionStatus !== "PAST_DUE" && workspace.subscriptionStatus !== "PAUSED")) return 0;
    const latest =
      typeof subscription.latest_invoice === "object" && subscription.latest_invoice?.id === invoiceId ? subscription.latest_invoice : null;
    // Only an invoice still unpaid (a late event about a since-paid invoice mails nothing).
    if (latest && latest.status !== "open") return 0;
    const audience = await ownersOf(workspace.id);
    if (!audience) return 0;
    const amountCents = latest?.amount_remaining ?? latest?.amount_due ?? subscription.items.data[0]?.price.unit_amount ?? 0;
    const since = workspace.pastDueSince;
    const content = paymentFailedMail({
      workspaceName: audience.workspaceName,
      billingUrl: billingUrl(),
      planName: workspace.plan.name,
      amountCents,
      pastDueSince: since,
      pausesAt: new Date(since.getTime() + PAUSE_AFTER_MS),
      freeAt: new Date(since.getTime() + FREE_AFTER_MS),
      reason: null,
    });
    return deliver(audience, `payment_failed:${invoiceId}`, "payment_failed", () => content, { optional: false });
  });
}

// ───────────────────────────── auto top-up ─────────────────────────────

/** An auto top-up attempt that was declined or failed (and switched auto top-up off). Once per attempt. */
export function notifyAutoTopUpFailed(attemptId: string): Promise<number> {
  return safely(`auto top-up failure ${attemptId}`, async () => {
    const attempt = await db.autoTopUpAttempt.findUnique({ where: { id: attemptId } });
    if (!attempt || (attempt.status !== "DECLINED" && attempt.status !== "FAILED")) return 0;
    const audience = await ownersOf(attempt.workspaceId);
    if (!audience) return 0;
    const pack = attempt.packId ? await db.creditPack.findUnique({ where: { id: attempt.packId }, select: { name: true } }) : null;
    const content = autoTopUpFailedMail({
      workspaceName: audience.workspaceName,
      billingUrl: billingUrl(),
      packName: pack?.name ?? attempt.packId,
      credits: attempt.credits,
      amountCents: attempt.amountCents,
      reason: attempt.reason ?? "The payment failed.",
      balance: attempt.balanceAfter,
      outcome: attempt.status === "DECLINED" ? "declined" : "failed",
    });
    return deliver(audience, `auto_top_up_failed:${attempt.id}`, "auto_top_up_failed", () => content, { optional: false });
  });
}
