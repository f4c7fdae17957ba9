"use server";

import { adminAction, formText as text } from "@/lib/actions";
import { parseEntitlementLines, savePack, updatePlan } from "@/lib/admin/catalog";
import { updatePlanLimits } from "@/lib/teams/plan-limits";
import { AppError } from "@/lib/errors";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: the plan's new terms (audited); new subscriptions and the next periods use them. */
export const updatePlanAction = adminAction(
  { revalidate: "/admin/catalog" },
  async (operator, planId: string, formData: FormData): Promise<AdminActionResult> => {
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
    return { ok: true, message: `Saved ${plan.name}${plan.active ? "" : " (inactive: not offered)"}.` };
  },
);

export const savePackAction = adminAction(
  { revalidate: "/admin/catalog" },
  async (operator, create: boolean, formData: FormData): Promise<AdminActionResult> => {
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
    return { ok: true, message: `${create ? "Created" : "Saved"} ${pack.name}${pack.active ? "" : " (inactive: not sold)"}.` };
  },
);

/** Operators only: seats and entitlements, read from the plan on every request (lib/teams/plan-limits.ts audits). */
export const updatePlanLimitsAction = adminAction(
  { revalidate: "/admin/catalog" },
  async (operator, planId: string, formData: FormData): Promise<AdminActionResult> => {
    const seatsText = text(formData, "seats").trim();
    if (seatsText !== "" && !/^\d{1,6}$/.test(seatsText))
      throw new AppError("invalid_request", "Seats: a whole number, or empty for unlimited.", { details: { field: "seats" } });
    const plan = await updatePlanLimits({
      planId,
      seats: seatsText === "" ? null : Number(seatsText),
      entitlements: parseEntitlementLines(text(formData, "entitlements")),
      actorUserId: operator.id,
      reason: text(formData, "reason"),
    });
    return {
      ok: true,
      message: `Saved: ${plan.seats === null ? "unlimited seats" : `${plan.seats} seat${plan.seats === 1 ? "" : "s"}`}, ${Object.keys(plan.entitlements).length} entitlement(s).`,
    };
  },
);
