/**
 * What the billing screens show of a plan or a pack: its terms, nothing else (no Stripe ids, no
 * entitlements), so pages hand components plain objects. Pure: safe in client bundles.
 */

const PLAN_TERMS = ["id", "name", "monthlyCredits", "priceMonthlyCents", "priceYearlyCents", "trialDays"] as const;
const PACK_TERMS = ["id", "name", "credits", "priceCents", "validityDays"] as const;

function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Pick<T, K>;
}

export function planTerms<P extends Record<(typeof PLAN_TERMS)[number], unknown>>(plan: P): Pick<P, (typeof PLAN_TERMS)[number]> {
  return pick(plan, PLAN_TERMS);
}

export function packTerms<P extends Record<(typeof PACK_TERMS)[number], unknown>>(pack: P): Pick<P, (typeof PACK_TERMS)[number]> {
  return pick(pack, PACK_TERMS);
}
