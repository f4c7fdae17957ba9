"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { AppError } from "@/lib/errors";
import { requireAdmin } from "@/lib/auth/session";
import { adjustWorkspaceCredits } from "@/lib/admin/workspaces";
import { formatCredits } from "@/lib/format";
import type { AdminActionResult } from "@/components/admin/types";

function failure(err: unknown): AdminActionResult {
  unstable_rethrow(err); // the guard's redirect to /login or 404
  if (err instanceof AppError) {
    const fields = (err.options.details?.fields as Record<string, string> | undefined) ?? undefined;
    return { ok: false, message: err.message, fields };
  }
  console.error(err);
  return { ok: false, message: "Something went wrong. Please try again." };
}

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
    return failure(err);
  }
}
