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

/** The webhook event a recorded alert sends. */
export const THRESHOLD_EVENT = "usage.threshold_crossed";

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
