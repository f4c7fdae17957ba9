import "server-only";
import { db } from "@/lib/db";
import type { PricingBody, X402StatusBody } from "@/lib/metering/response-schemas";
import { now } from "@/lib/clock";
import { x402Config } from "@/lib/env";
import { listPlans } from "@/lib/pricing/plans";

/** 1 credit = $0.01 (docs/design.md "Units"). */
export const CENTS_PER_CREDIT = 1;

/** The price in force for every action: the latest version whose effectiveFrom has passed. */
export async function currentPrices(at: Date = now()) {
  const rows = await db.actionPrice.findMany({
    where: { effectiveFrom: { lte: at } },
    orderBy: [{ actionKey: "asc" }, { version: "desc" }],
    distinct: ["actionKey"],
  });
  return rows.filter((p) => p.active);
}

/** Credits to USD as a decimal string, exactly (integer cents, no floats): 39 credits → "0.39". */
export function creditsToUsd(credits: number): string {
  const cents = credits * CENTS_PER_CREDIT;
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** The credit packs on sale, in display order. */
export function activePacks() {
  return db.creditPack.findMany({ where: { active: true }, orderBy: { sortOrder: "asc" } });
}

/** GET /api/v1/pricing: actions, plans and packs, live from the database. */
export async function publicPricing(): Promise<PricingBody> {
  const [prices, plans, packs] = await Promise.all([currentPrices(), listPlans(), activePacks()]);
  return {
    unit: { credit_usd: creditsToUsd(1) },
    actions: prices.map((p) => ({
      action: p.actionKey,
      name: p.name,
      category: p.category.toLowerCase() as PricingBody["actions"][number]["category"],
      credits: p.credits,
      usd: creditsToUsd(p.credits),
      reserve_credits: p.reserveCredits,
      sync: p.sync,
      provider: p.provider,
      out_of_credits: p.policy.toLowerCase() as PricingBody["actions"][number]["out_of_credits"],
      version: p.version,
      effective_from: p.effectiveFrom.toISOString(),
    })),
    plans: plans.map((p) => ({
      id: p.id,
      name: p.name,
      monthly_credits: p.monthlyCredits,
      price_monthly_cents: p.priceMonthlyCents,
      price_yearly_cents: p.priceYearlyCents,
      trial_days: p.trialDays,
      contact_sales: p.contactSales,
    })),
    packs: packs.map((p) => ({ id: p.id, name: p.name, credits: p.credits, price_cents: p.priceCents, validity_days: p.validityDays })),
  };
}

/**
 * GET /api/x402/status in the shape of the media-AI provider's endpoint (the media-AI provider's public x402 status document): per tool
 * and provider USDC prices from the live price table. `enabled` says whether pay-per-call with x402 is
 * on (lib/env.ts x402Config); `endpoint` is where an agent's payment goes (POST /api/v1/track with
 * PAYMENT-SIGNATURE), `network` the configured chain.
 */
export async function x402Status(baseUrl: string): Promise<X402StatusBody> {
  const prices = await currentPrices();
  const config = x402Config();
  return {
    enabled: config.enabled,
    endpoint: `${baseUrl.replace(/\/$/, "")}/api/v1/track`,
    network: config.network,
    token: "USDC",
    pricing_model: "ceiling-quote",
    enabled_tools: prices.map((p) => ({
      tool: p.actionKey,
      provider: p.provider ?? "creditbook",
      price_usdc: creditsToUsd(p.credits),
      sync: p.sync,
    })),
  };
}
