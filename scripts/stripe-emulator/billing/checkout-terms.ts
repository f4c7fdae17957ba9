// A subscription-mode Checkout Session's `subscription_data`: what the subscription it creates starts
// with (metadata, a trial, or a future billing cycle anchor with a prorated first period), and what
// that first period costs now — the session's amount_total and its first invoice.
import { invalidParam } from "../errors.ts";
import type { Metadata, Params } from "../params.ts";
import type { LineItem } from "../resources/checkout-sessions.ts";
import { firstPeriod, firstPeriodAmount, shift, type Cycle, type FirstPeriod } from "./periods.ts";

export type SubscriptionData = {
  metadata: Metadata;
  description: string | null;
  trialPeriodDays?: number;
  billingCycleAnchor?: number;
  /** For the partial period before a future billing_cycle_anchor: `none` makes it free. */
  prorationBehavior: "create_prorations" | "none";
};

export const DEFAULT_SUBSCRIPTION_DATA: SubscriptionData = { metadata: {}, description: null, prorationBehavior: "create_prorations" };

const KEYS = ["metadata", "description", "trial_period_days", "billing_cycle_anchor", "proration_behavior"];

/** Reads and checks subscription_data as Stripe does when the session is created. */
export function subscriptionDataFrom(p: Params | undefined, now: number, cycle: Cycle | undefined): SubscriptionData {
  if (!p) return DEFAULT_SUBSCRIPTION_DATA;
  p.allowOnly(KEYS);
  const data: SubscriptionData = {
    metadata: p.newMetadata(),
    description: p.str("description", { max: 500 }) ?? null,
    trialPeriodDays: p.int("trial_period_days", { min: 1, max: 730 }),
    billingCycleAnchor: p.int("billing_cycle_anchor", { min: 0 }),
    prorationBehavior: p.oneOf("proration_behavior", ["create_prorations", "none"] as const) ?? "create_prorations",
  };
  const anchor = data.billingCycleAnchor;
  if (anchor === undefined) return data;
  if (data.trialPeriodDays !== undefined)
    throw invalidParam(
      p.path("billing_cycle_anchor"),
      "You cannot set `subscription_data[billing_cycle_anchor]` when `subscription_data[trial_period_days]` is set: the trial end becomes the billing cycle anchor.",
    );
  if (anchor <= now) throw invalidParam(p.path("billing_cycle_anchor"), "`subscription_data[billing_cycle_anchor]` must be in the future.");
  if (cycle && anchor > shift(now, cycle, 1))
    throw invalidParam(
      p.path("billing_cycle_anchor"),
      "`subscription_data[billing_cycle_anchor]` must be within one billing period from now.",
    );
  return data;
}

export type FirstInvoicePlan = { period: FirstPeriod; cycle: Cycle; amounts: number[]; total: number };

/** The first period if the session were paid at `now`, and what each recurring line costs for it. */
export function firstInvoicePlan(lineItems: LineItem[], data: SubscriptionData, now: number): FirstInvoicePlan {
  const cycle = lineItems.find((item) => item.price?.recurring)!.price!.recurring!;
  const period = firstPeriod(now, cycle, { trialDays: data.trialPeriodDays, anchor: data.billingCycleAnchor });
  const amounts = lineItems.map((item) =>
    firstPeriodAmount((item.price?.unit_amount ?? 0) * (item.quantity ?? 1), period, cycle, data.prorationBehavior !== "none"),
  );
  return { period, cycle, amounts, total: amounts.reduce((sum, a) => sum + a, 0) };
}
