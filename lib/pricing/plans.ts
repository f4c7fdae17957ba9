import "server-only";
import { db } from "@/lib/db";

/** Plans in order of their allowance (unlimited last). */
export async function listPlans() {
  const plans = await db.plan.findMany({ where: { active: true }, orderBy: [{ sortOrder: "asc" }] });
  return plans.sort((a, b) => (a.monthlyCredits ?? Infinity) - (b.monthlyCredits ?? Infinity));
}

/** The next tier up from a plan (the upgrade path), or null at the top. */
export async function nextPlan(planId: string) {
  const plans = await listPlans();
  const index = plans.findIndex((p) => p.id === planId);
  return index >= 0 ? (plans[index + 1] ?? null) : null;
}
