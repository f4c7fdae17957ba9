"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { markSalesLeadHandled } from "@/lib/admin/sales-leads";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: marks a sales lead handled (audited; once, whoever clicks first). */
export async function markSalesLeadHandledAction(leadId: string): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    await markSalesLeadHandled(String(leadId), operator.id);
    revalidatePath("/admin/leads");
    revalidatePath("/admin");
    return { ok: true, message: "Marked handled." };
  } catch (err) {
    return actionFailure(err);
  }
}
