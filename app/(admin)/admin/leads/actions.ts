"use server";

import { adminAction } from "@/lib/actions";
import { markSalesLeadHandled } from "@/lib/admin/sales-leads";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: marks a sales lead handled (audited; once, whoever clicks first). */
export const markSalesLeadHandledAction = adminAction(
  { revalidate: ["/admin/leads", "/admin"] },
  async (operator, leadId: string): Promise<AdminActionResult> => {
    await markSalesLeadHandled(String(leadId), operator.id);
    return { ok: true, message: "Marked handled." };
  },
);
