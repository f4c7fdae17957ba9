import { z } from "zod";
import { appUrl } from "@/lib/env";
import { listPlans } from "@/lib/pricing/plans";
import { formatInteger } from "@/lib/format";
import { PG_INT_MAX } from "@/lib/pricing/limits";

/**
 * A plan's limits beyond credits (docs/design.md "Model"): seats (null = unlimited) and named numeric
 * entitlements such as `roster.artists`, stored as Plan.entitlements = {"roster.artists": 5} where
 * null means unlimited. Operators edit them (updatePlanLimits); the AI product asks about them over
 * GET /api/v1/entitlements and POST /api/v1/entitlements/check.
 */

/** Entitlement keys look like action keys: lower-case letters, digits, dots, dashes, underscores. */
export const ENTITLEMENT_KEY = /^[a-z0-9_.-]{1,100}$/;
/** The built-in entitlement every plan has: its seats (members plus pending invitations). */
export const SEATS_KEY = "seats";

export const entitlementsSchema = z.record(
  z.string().regex(ENTITLEMENT_KEY, "Entitlement keys are lower-case letters, digits, dots, dashes and underscores."),
  z.number().int().min(0).max(PG_INT_MAX).nullable(),
);
export type Entitlements = Record<string, number | null>;

/** A plan's entitlements as stored; entries that are not a key → whole number or null are left out (and logged). */
export function planEntitlements(raw: unknown): Entitlements {
  const out: Entitlements = {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const parsed = entitlementsSchema.safeParse({ [key]: value });
    if (parsed.success && key !== SEATS_KEY) out[key] = value as number | null;
    else console.warn(`[entitlements] ignoring malformed entitlement ${JSON.stringify(key)} = ${JSON.stringify(value)}`);
  }
  return out;
}

/** Does a limit (null = unlimited) allow `amount`? */
export function within(limit: number | null, amount: number): boolean {
  return limit === null || amount <= limit;
}

export type PlanOffer = { id: string; name: string; limit: number | null; contactSales: boolean };

/**
 * The first plan above `planId` (in the upgrade order of listPlans) whose limit for `key` allows
 * `amount`, or null when no plan does. For the upgrade prompt of a refusal.
 */
export async function nextPlanAllowing(planId: string, key: string, amount: number): Promise<PlanOffer | null> {
  const plans = await listPlans();
  const index = plans.findIndex((p) => p.id === planId);
  for (const plan of plans.slice(index + 1)) {
    const limit =
      key === SEATS_KEY ? plan.seats : key in planEntitlements(plan.entitlements) ? planEntitlements(plan.entitlements)[key]! : 0;
    if (within(limit, amount)) return { id: plan.id, name: plan.name, limit, contactSales: plan.contactSales };
  }
  return null;
}

export function upgradeUrl(): string {
  return appUrl("/settings/billing#plans");
}

/** "Pro (3 seats)", "Enterprise (unlimited seats, contact sales)". */
export function describeOffer(offer: PlanOffer, unit: string, units: string): string {
  const amount = offer.limit === null ? `unlimited ${units}` : `${formatInteger(offer.limit)} ${offer.limit === 1 ? unit : units}`;
  return `${offer.name} (${amount}${offer.contactSales ? ", contact sales" : ""})`;
}
