import "server-only";
import { db } from "@/lib/db";
import { AppError, fieldErrors } from "@/lib/errors";
import { allowLocalWebhooks } from "@/lib/webhooks/send";
import { workspaceSigningSecret } from "@/lib/webhooks/signing";
import { alertSettingsSchema, type AlertSettings, type AlertSettingsInput } from "@/lib/alerts/rules";
import { evaluateAfterChange } from "@/lib/alerts/usage-alerts";

export type AlertSettingsView = {
  thresholds: number[];
  webhookUrl: string | null;
  plan: { name: string; monthlyCredits: number | null };
  /** Signs the alert webhooks; only for owners, only when a URL is set. */
  signingSecret: string | null;
};

export async function getAlertSettings(workspaceId: string, options: { owner: boolean }): Promise<AlertSettingsView> {
  const w = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { alertThresholds: true, alertWebhookUrl: true, plan: { select: { name: true, monthlyCredits: true } } },
  });
  return {
    thresholds: [...w.alertThresholds].sort((a, b) => a - b),
    webhookUrl: w.alertWebhookUrl,
    plan: w.plan,
    signingSecret: options.owner && w.alertWebhookUrl ? workspaceSigningSecret(workspaceId) : null,
  };
}

/**
 * Validates and saves a workspace's alert settings (the caller has checked the owner role). Invalid
 * input throws `validation_failed` with {fields: {thresholds?, webhookUrl?}}. A threshold chosen now that
 * usage has already passed fires at once; one no longer chosen resolves (silently: no mail).
 */
export async function updateAlertSettings(workspaceId: string, input: AlertSettingsInput): Promise<AlertSettings> {
  const parsed = alertSettingsSchema({ allowLocal: allowLocalWebhooks() }).safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Check the alert settings.", { details: { fields: fieldErrors(parsed.error.issues) } });
  }
  await db.workspace.update({
    where: { id: workspaceId },
    data: { alertThresholds: parsed.data.thresholds, alertWebhookUrl: parsed.data.webhookUrl },
  });
  await evaluateAfterChange(workspaceId);
  return parsed.data;
}
