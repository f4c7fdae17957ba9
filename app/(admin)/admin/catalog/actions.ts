"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { savePack, updatePlan } from "@/lib/admin/catalog";
import type { AdminActionResult } from "@/components/admin/types";

const text = (formData: FormData, name: string) => String(formData.get(name) ?? "");

/** Operators only: the plan's new terms (audited); new subscriptions and the next periods use them. */
export async function updatePlanAction(planId: string, formData: FormData): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    const plan = await updatePlan(
      planId,
      {
        name: text(formData, "name"),
        monthlyCredits: text(formData, "monthlyCredits"),
        priceMonthly: text(formData, "priceMonthly"),
        priceYearly: text(formData, "priceYearly"),
        trialDays: text(formData, "trialDays"),
        seats: text(formData, "seats"),
        active: formData.get("active") === "on",
        reason: text(formData, "reason"),
      },
      operator.id,
    );
    revalidatePath("/admin/catalog");
    return { ok: true, message: `Saved ${plan.name}${plan.active ? "" : " (inactive: not offered)"}.` };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function savePackAction(create: boolean, formData: FormData): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    const pack = await savePack(
      {
        id: text(formData, "id"),
        name: text(formData, "name"),
        credits: text(formData, "credits"),
        price: text(formData, "price"),
        validityDays: text(formData, "validityDays"),
        active: formData.get("active") === "on",
        reason: text(formData, "reason"),
      },
      operator.id,
      { create },
    );
    revalidatePath("/admin/catalog");
    return { ok: true, message: `${create ? "Created" : "Saved"} ${pack.name}${pack.active ? "" : " (inactive: not sold)"}.` };
  } catch (err) {
    return actionFailure(err);
  }
}
