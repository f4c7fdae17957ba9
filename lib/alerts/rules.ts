import { z } from "zod";
import type { Balance } from "@/lib/credits";
import { checkWebhookUrl } from "@/lib/webhooks/url";
import { UPGRADE_THRESHOLD_PERCENT } from "@/lib/pricing/estimate";
import { formatCredits, formatUtcMonthDay } from "@/lib/format";

/**
 * Usage alerts, the pure part: which thresholds an owner may choose, how settings are validated, when a
 * threshold is due and what the portal says about it. No database here (the settings form and the
 * notice import it on the client too).
 */

/** Percentages of the plan's monthly allowance an owner may be alerted at. */
export const ALERT_THRESHOLDS = [50, 80, 100] as const;
export type AlertThreshold = (typeof ALERT_THRESHOLDS)[number];
/** New and existing workspaces (the column's default in the usage_alerts migration). */
export const DEFAULT_ALERT_THRESHOLDS: readonly AlertThreshold[] = [80, 100];

/** The webhook event an allowance alert sends when it fires (kept for endpoints built before limit_reached). */
export const THRESHOLD_EVENT = "usage.threshold_crossed";
/** The webhook events of every alert's two edges (docs/decisions/020-limit-alerts.md). */
export const LIMIT_REACHED_EVENT = "limit_reached";
export const LIMIT_RESOLVED_EVENT = "limit_resolved";

/** The limit an alert watches: the plan's monthly allowance, or one budget. */
export const ALLOWANCE_SUBJECT = "allowance";
export const budgetSubject = (budgetId: string) => `budget:${budgetId}`;

/** Why a firing alert stopped holding. */
export type ResolvedReason = "new_period" | "limit_changed" | "credits_added" | "usage_reduced" | "threshold_removed" | "budget_removed";

/** A limit as it stands now: what is counted against it in its current period. */
export type LimitNow = {
  subject: string;
  budgetId: string | null;
  limit: number;
  used: number;
  periodStart: Date;
  /** null: a lifetime budget. */
  periodEnd: Date | null;
};

/**
 * Is `threshold` % of this limit due? The allowance: thresholdDue (100 % also when the balance ran out).
 * A budget: what was counted against it in its period reached threshold % of it.
 */
export function limitDue(limit: LimitNow, threshold: number, remaining: number): boolean {
  if (limit.subject === ALLOWANCE_SUBJECT) return thresholdDue({ threshold, used: limit.used, allowance: limit.limit, remaining });
  return limit.limit > 0 && limit.used > 0 && limit.used * 100 >= threshold * limit.limit;
}

/**
 * Why a firing alert no longer holds, or null while it does: its limit is gone or changed, its period
 * ended, its threshold is no longer chosen, or today's figures are below it (credits added to a
 * workspace that had run out, or a refund).
 */
export function whyResolved(
  alert: { subject: string; threshold: number; periodStart: Date; allowance: number; outOfCredits: boolean },
  now: { limits: ReadonlyMap<string, LimitNow>; thresholds: readonly number[]; remaining: number },
): ResolvedReason | null {
  const limit = now.limits.get(alert.subject);
  if (!limit) return alert.subject === ALLOWANCE_SUBJECT ? "limit_changed" : "budget_removed";
  if (limit.periodStart.getTime() !== alert.periodStart.getTime()) return "new_period";
  if (limit.limit !== alert.allowance) return "limit_changed";
  if (!now.thresholds.includes(alert.threshold)) return "threshold_removed";
  if (limitDue(limit, alert.threshold, now.remaining)) return null;
  // Below it now: a workspace that had run out got credits, or a refund gave usage back.
  return alert.outOfCredits && now.remaining > 0 ? "credits_added" : "usage_reduced";
}

/**
 * Is `threshold` % due? Used credits of the period reached threshold % of the allowance (integer
 * arithmetic, no rounding: 80 % of 5,000 is due at 4,000), or — 100 % also meaning "out of credits" —
 * the workspace has no spendable credits left after using some. Unlimited plans (allowance null) and
 * periods without usage never alert. The detector's SQL (lib/alerts/usage-alerts.ts) says the same.
 */
export function thresholdDue(input: { threshold: number; used: number; allowance: number | null; remaining: number }): boolean {
  const { threshold, used, allowance, remaining } = input;
  if (allowance === null || allowance <= 0 || used <= 0) return false;
  return used * 100 >= threshold * allowance || (threshold === 100 && remaining <= 0);
}

/** The settings form, as submitted: threshold checkboxes, a "none" checkbox and the URL. */
export function alertSettingsSchema(options: { allowLocal: boolean }) {
  return z
    .object({
      thresholds: z
        .array(
          z.coerce
            .number()
            .refine((t): t is AlertThreshold => (ALERT_THRESHOLDS as readonly number[]).includes(t), "Thresholds are 50, 80 or 100 %."),
        )
        .max(ALERT_THRESHOLDS.length, "Choose each threshold once."),
      none: z.boolean().default(false),
      webhookUrl: z.string().trim().default(""),
    })
    .superRefine((v, ctx) => {
      if (v.none && v.thresholds.length > 0)
        ctx.addIssue({ code: "custom", path: ["thresholds"], message: "Choose thresholds or “None”, not both." });
      if (!v.none && v.thresholds.length === 0)
        ctx.addIssue({ code: "custom", path: ["thresholds"], message: "Choose at least one threshold, or “None” for no alerts." });
      if (new Set(v.thresholds).size !== v.thresholds.length)
        ctx.addIssue({ code: "custom", path: ["thresholds"], message: "Choose each threshold once." });
      if (v.webhookUrl) {
        const checked = checkWebhookUrl(v.webhookUrl, options);
        if (!checked.ok) ctx.addIssue({ code: "custom", path: ["webhookUrl"], message: checked.message });
      }
    })
    .transform((v) => ({
      thresholds: [...v.thresholds].sort((a, b) => a - b),
      webhookUrl: v.webhookUrl ? (checkWebhookUrl(v.webhookUrl, options) as { url: string }).url : null,
    }));
}

export type AlertSettingsInput = z.input<ReturnType<typeof alertSettingsSchema>>;
export type AlertSettings = z.output<ReturnType<typeof alertSettingsSchema>>;

/** A recorded alert as the portal shows it (JSON-safe). */
export type UsageAlertView = {
  id: string;
  threshold: number;
  used: number;
  allowance: number;
  planName: string;
  outOfCredits: boolean;
  periodStart: string;
  periodEnd: string;
  createdAt: string;
};

/** Any alert — on the allowance or a budget, firing or resolved — as the history, mails and webhooks tell it. */
export type LimitAlertView = {
  id: string;
  kind: "allowance" | "budget";
  budgetId: string | null;
  threshold: number;
  used: number;
  /** The limit in credits when it fired. */
  limit: number;
  planName: string;
  outOfCredits: boolean;
  periodStart: string;
  /** null: a lifetime budget. */
  periodEnd: string | null;
  firedAt: string;
  resolvedAt: string | null;
  resolvedReason: ResolvedReason | null;
  dismissedAt: string | null;
};

/** Why an alert resolved, in words ("a new period began"). */
export const RESOLVED_BECAUSE: Record<ResolvedReason, string> = {
  new_period: "a new period began",
  limit_changed: "the limit changed",
  credits_added: "credits were added",
  usage_reduced: "a refund brought usage back under it",
  threshold_removed: "the threshold is no longer chosen",
  budget_removed: "the budget was removed",
};

/**
 * What the portal reads: the balance with this period's undismissed alerts that still hold, and the
 * highest threshold someone dismissed this period (null: none) — /api/workspace/balance.
 */
export type BalanceWithAlerts = Balance & { alerts: UsageAlertView[]; dismissedThreshold: number | null };

/** "You’ve used 80% of your Pro allowance this period (4,000 of 5,000 credits)." and "Resets Dec 1." */
export function alertMessage(alert: UsageAlertView): { title: string; resets: string } {
  const figures = `${formatCredits(alert.used)} of ${formatCredits(alert.allowance)} credits`;
  // "over": the usage that crossed the threshold went past it (85 of 100 crosses 80 %).
  const over = alert.used * 100 > alert.threshold * alert.allowance ? "over " : "";
  const title = alert.outOfCredits
    ? `You’re out of credits this period (${figures} of your ${alert.planName} allowance used).`
    : `You’ve used ${over}${alert.threshold}% of your ${alert.planName} allowance this period (${figures}).`;
  return { title, resets: `Resets ${formatUtcMonthDay(alert.periodEnd)}.` };
}

/** The notice shows the highest undismissed alert of the period; dismissing it covers the lower ones. */
export function alertToShow(alerts: readonly UsageAlertView[]): UsageAlertView | null {
  return alerts.reduce<UsageAlertView | null>((top, a) => (top === null || a.threshold > top.threshold ? a : top), null);
}

/**
 * The one usage banner Billing shows (never two saying the same):
 * - `out`: no spendable credits after using some — what still works and how to refill; it stands for
 *   the out-of-credits alert too, and is not dismissed (it describes the state until credits arrive);
 * - `alert`: the highest undismissed alert, with the upgrade offer when above the prompt's threshold;
 *   dismissing it dismisses that offer for the period too;
 * - `prompt`: above 80 % of the allowance with no alert about it (thresholds turned off, or none yet);
 * - null: nothing to say (unlimited plans never get one).
 */
export type UsageBanner =
  { kind: "out"; alert: UsageAlertView | null } | { kind: "alert"; alert: UsageAlertView; offer: boolean } | { kind: "prompt" } | null;

export function usageBanner(
  b: Pick<BalanceWithAlerts, "unlimited" | "allowance" | "allowanceUsed" | "remaining" | "alerts" | "dismissedThreshold">,
): UsageBanner {
  if (b.unlimited || b.allowance === null) return null;
  const above = b.allowanceUsed * 100 > b.allowance * UPGRADE_THRESHOLD_PERCENT;
  const alert = alertToShow(b.alerts);
  if (b.remaining <= 0) return { kind: "out", alert };
  if (alert) return { kind: "alert", alert, offer: above };
  if (above && !(b.dismissedThreshold !== null && b.dismissedThreshold >= UPGRADE_THRESHOLD_PERCENT)) return { kind: "prompt" };
  return null;
}
