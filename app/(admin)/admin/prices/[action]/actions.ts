"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { changeActionPrice } from "@/lib/pricing/admin";
import { formatCredits, formatUtc } from "@/lib/format";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: inserts the next version of the action's price and its audit entry. */
export async function changePriceAction(actionKey: string, formData: FormData): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    const { price, replaced } = await changeActionPrice(
      {
        actionKey,
        credits: String(formData.get("credits") ?? ""),
        reserveCredits: String(formData.get("reserveCredits") ?? ""),
        policy: String(formData.get("policy") ?? ""),
        provider: String(formData.get("provider") ?? ""),
        sync: formData.get("sync") === "on",
        effectiveFrom: String(formData.get("effectiveFrom") ?? ""),
        reason: String(formData.get("reason") ?? ""),
      },
      operator.id,
    );
    revalidatePath("/admin/prices");
    revalidatePath(`/admin/prices/${encodeURIComponent(actionKey)}`);
    const when = formData.get("effectiveFrom") ? `from ${formatUtc(price.effectiveFrom.toISOString())}` : "effective immediately";
    const replacedNote = replaced.length > 0 ? ` It replaces the scheduled version${replaced.length > 1 ? "s" : ""} ${replaced.map((v) => `v${v}`).join(", ")}.` : "";
    return { ok: true, message: `Saved version ${price.version}: ${formatCredits(price.credits)} credits, ${when}.${replacedNote}` };
  } catch (err) {
    return actionFailure(err);
  }
}
