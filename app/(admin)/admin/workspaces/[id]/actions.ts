"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { adjustWorkspaceCredits } from "@/lib/admin/workspaces";
import { formatCredits } from "@/lib/format";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: a grant (positive) or removal (negative) through the ledger, naming the operator in the audit log. */
export async function adjustCreditsAction(workspaceId: string, formData: FormData): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    const result = await adjustWorkspaceCredits(operator, workspaceId, {
      credits: String(formData.get("credits") ?? ""),
      reason: String(formData.get("reason") ?? ""),
      expiresAt: String(formData.get("expiresAt") ?? ""),
    });
    revalidatePath(`/admin/workspaces/${workspaceId}`);
    const what = result.credits > 0 ? `Granted ${formatCredits(result.credits)} credits` : `Removed ${formatCredits(-result.credits)} credits`;
    return { ok: true, message: `${what}. The workspace now has ${formatCredits(result.remaining)} credits.` };
  } catch (err) {
    return actionFailure(err);
  }
}
