"use server";

import { adminAction, formText } from "@/lib/actions";
import { changeActionPrice } from "@/lib/pricing/admin";
import { formatCredits, formatUtc } from "@/lib/format";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: inserts the next version of the action's price and its audit entry. */
export const changePriceAction = adminAction(
  { revalidate: (actionKey: string) => ["/admin/prices", `/admin/prices/${encodeURIComponent(actionKey)}`] },
  async (operator, actionKey: string, formData: FormData): Promise<AdminActionResult> => {
    const { price, replaced } = await changeActionPrice(
      {
        actionKey,
        credits: formText(formData, "credits"),
        reserveCredits: formText(formData, "reserveCredits"),
        policy: formText(formData, "policy"),
        provider: formText(formData, "provider"),
        sync: formData.get("sync") === "on",
        effectiveFrom: formText(formData, "effectiveFrom"),
        reason: formText(formData, "reason"),
      },
      operator.id,
    );
    const when = formData.get("effectiveFrom") ? `from ${formatUtc(price.effectiveFrom.toISOString())}` : "effective immediately";
    const replacedNote =
      replaced.length > 0
        ? ` It replaces the scheduled version${replaced.length > 1 ? "s" : ""} ${replaced.map((v) => `v${v}`).join(", ")}.`
        : "";
    return { ok: true, message: `Saved version ${price.version}: ${formatCredits(price.credits)} credits, ${when}.${replacedNote}` };
  },
);
