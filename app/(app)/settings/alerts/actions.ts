"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireWorkspace } from "@/lib/auth/session";
import { updateAlertSettings } from "@/lib/alerts/settings";
import { dismissUsageAlert } from "@/lib/alerts/usage-alerts";
import type { AlertActionResult } from "@/components/alerts/types";

/** Owners only (requireWorkspace checks the role on every call); lib/alerts/settings validates. */
export async function updateAlertSettingsAction(formData: FormData): Promise<AlertActionResult> {
  try {
    const { workspace } = await requireWorkspace({ role: "OWNER", renderedFor: formData });
    await updateAlertSettings(workspace.id, {
      thresholds: formData.getAll("thresholds").map(String),
      none: formData.get("none") === "on",
      webhookUrl: String(formData.get("webhookUrl") ?? ""),
    });
    revalidatePath("/settings/alerts");
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}

/** Owners and members alike: dismissing hides the alert for the whole workspace. */
export async function dismissUsageAlertAction(formData: FormData): Promise<AlertActionResult> {
  try {
    const { user, workspace } = await requireWorkspace({ renderedFor: formData });
    // No revalidation: the notice hides itself, and the next read of the page has it dismissed.
    await dismissUsageAlert({ workspaceId: workspace.id, alertId: String(formData.get("id") ?? ""), userId: user.id });
    return { ok: true };
  } catch (err) {
    return actionFailure(err);
  }
}
