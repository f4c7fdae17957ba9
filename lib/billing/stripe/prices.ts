import type Stripe from "stripe";
import type { Plan } from "@/lib/generated/prisma/client";
import { stripe } from "@/lib/billing/stripe/client";

export type PlanInterval = "month" | "year";

/** A workspace's billing interval (the ledger's MONTH | YEAR) as Stripe and the portal name it. */
export function planIntervalOf(billingInterval: "MONTH" | "YEAR"): PlanInterval {
  return billingInterval === "YEAR" ? "year" : "month";
}

/** A plan's price for one billing interval, in cents. */
export function planPriceCents(plan: Pick<Plan, "priceMonthlyCents" | "priceYearlyCents">, interval: PlanInterval): number {
  return interval === "year" ? plan.priceYearlyCents : plan.priceMonthlyCents;
}

/**
 * The Stripe Price of a plan at its current price. Prices live in our database (admins edit them);
 * Stripe gets one Price per plan, interval and amount, found again by its lookup key, so a price edit
 * makes a new Stripe Price for new subscriptions and existing ones keep theirs.
 */
export async function planPrice(
  plan: Pick<Plan, "id" | "name" | "priceMonthlyCents" | "priceYearlyCents">,
  interval: PlanInterval,
): Promise<Stripe.Price> {
  const cents = planPriceCents(plan, interval);
  const lookupKey = `creditbook_${plan.id}_${interval}_${cents}`;
  const found = await stripe().prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 });
  if (found.data[0]) return found.data[0];
  return stripe().prices.create(
    {
      currency: "usd",
      unit_amount: cents,
      recurring: { interval },
      product_data: { name: `Creditbook ${plan.name}` },
      lookup_key: lookupKey,
      metadata: { plan_id: plan.id, interval },
    },
    { idempotencyKey: `creditbook-price-${lookupKey}` },
  );
}

/** Our plan id of a Stripe Price we created (its metadata), or null for someone else's. */
export function planOfPrice(price: Pick<Stripe.Price, "metadata"> | null | undefined): string | null {
  return price?.metadata?.plan_id || null;
}
