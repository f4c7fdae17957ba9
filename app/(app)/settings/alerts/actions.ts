"use server";

import { formText, workspaceAction } from "@/lib/actions";
import { updateAlertSettings } from "@/lib/alerts/settings";
import { dismissUsageAlert } from "@/lib/alerts/usage-alerts";
import type { AlertActionResult } from "@/components/alerts/types";

/** Owners only (workspaceAction checks the role on every call); lib/alerts/settings validates. */
export const updateAlertSettingsAction = workspaceAction(
  { role: "OWNER", revalidate: "/settings/alerts" },
  async ({ workspace }, formData): Promise<AlertActionResult> => {
    await updateAlertSettings(workspace.id, {
      thresholds: formData.getAll("thresholds").map(String),
      none: formData.get("none") === "on",
      webhookUrl: formText(formData, "webhookUrl"),
    });
    return { ok: true };
  },
);

/**
 * Owners and members alike: dismissing hides the alert for the whole workspace. No revalidation: the
 * notice hides itself, and the next read of the page has it dismissed.
 */
export const dismissUsageAlertAction = workspaceAction({}, async ({ user, workspace }, formData): Promise<AlertActionResult> => {
  await dismissUsageAlert({ workspaceId: workspace.id, alertId: formText(formData, "id"), userId: user.id });
  return { ok: true };
});
