"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { parseEntitlementLines, savePack, updatePlan } from "@/lib/admin/catalog";
import { updatePlanLimits } from "@/lib/teams/plan-limits";
import { AppError } from "@/lib/errors";
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

/** Operators only: seats and entitlements, read from the plan on every request (lib/teams/plan-limits.ts audits). */
export async function updatePlanLimitsAction(planId: string, formData: FormData): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    const seatsText = text(formData, "seats").trim();
    if (seatsText !== "" && !/^\d{1,6}$/.test(seatsText)) throw new AppError("invalid_request", "Seats: a whole number, or empty for unlimited.", { details: { field: "seats" } });
    const plan = await updatePlanLimits({
      planId,
      seats: seatsText === "" ? null : Number(seatsText),
      entitlements: parseEntitlementLines(text(formData, "entitlements")),
      actorUserId: operator.id,
      reason: text(formData, "reason"),
    });
    revalidatePath("/admin/catalog");
    return { ok: true, message: `Saved: ${plan.seats === null ? "unlimited seats" : `${plan.seats} seat${plan.seats === 1 ? "" : "s"}`}, ${Object.keys(plan.entitlements).length} entitlement(s).` };
  } catch (err) {
    return actionFailure(err);
  }
}
