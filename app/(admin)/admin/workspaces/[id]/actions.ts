"use server";

import { adminAction, formText } from "@/lib/actions";
import { adjustWorkspaceCredits } from "@/lib/admin/workspaces";
import { formatCredits } from "@/lib/format";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: a grant (positive) or removal (negative) through the ledger, naming the operator in the audit log. */
export const adjustCreditsAction = adminAction(
  { revalidate: (workspaceId: string) => [`/admin/workspaces/${workspaceId}`] },
  async (operator, workspaceId: string, formData: FormData): Promise<AdminActionResult> => {
    const result = await adjustWorkspaceCredits(operator, workspaceId, {
      credits: formText(formData, "credits"),
      reason: formText(formData, "reason"),
      expiresAt: formText(formData, "expiresAt"),
    });
    const what =
      result.credits > 0 ? `Granted ${formatCredits(result.credits)} credits` : `Removed ${formatCredits(-result.credits)} credits`;
    return { ok: true, message: `${what}. The workspace now has ${formatCredits(result.remaining)} credits.` };
  },
);
