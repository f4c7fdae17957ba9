/**
 * The "How much will I use?" estimator: monthly credits from action counts, and the plan (or plan plus
 * packs) that covers them. Pure: no database, no React; integer credits and integer cents throughout.
 */

import { formatCents, formatCredits, formatInteger, formatSignificant } from "@/lib/format";

/** Above this share of a plan's monthly allowance we suggest the next tier (the AI credits page our plans follow, "When to upgrade"). */
export const UPGRADE_THRESHOLD_PERCENT = 80;

/** The largest monthly count the estimator accepts for one action. */
export const MAX_MONTHLY_COUNT = 1_000_000;

export type PricedAction = { actionKey: string; credits: number };

export type PlanOffer = {
  id: string;
  name: string;
  /** null = unlimited */
  monthlyCredits: number | null;
  priceMonthlyCents: number;
  priceYearlyCents: number;
  contactSales: boolean;
  /** null = unlimited */
  seats?: number | null;
};

export type PackOffer = { id: string; name: string; credits: number; priceCents: number };

export type MonthlyCounts = Readonly<Record<string, number>>;

// ───────────────────────────── credits ─────────────────────────────

function assertCount(count: number, what: string) {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${count}`);
}

/** Credits a month for each priced action (counts for actions not in the price table are ignored). */
export function estimateLines(counts: MonthlyCounts, prices: readonly PricedAction[]) {
  return prices.map((price) => {
    const count = counts[price.actionKey] ?? 0;
    assertCount(count, `count of ${price.actionKey}`);
    return { actionKey: price.actionKey, count, credits: count * price.credits };
  });
}

/** Total credits a month: Σ count × the action's current price in credits. */
export function estimateMonthlyCredits(counts: MonthlyCounts, prices: readonly PricedAction[]): number {
  return estimateLines(counts, prices).reduce((sum, line) => sum + line.credits, 0);
}

export type ParsedCount = { ok: true; value: number } | { ok: false; error: string };

/** Validates what someone typed into a count field. An empty field means 0. */
export function parseCount(raw: string): ParsedCount {
  const text = raw.trim().replace(/[,_\s]/g, "");
  if (text === "") return { ok: true, value: 0 };
  if (/^-/.test(text)) return { ok: false, error: "Can’t be negative" };
  if (!/^\d+$/.test(text)) return { ok: false, error: "Enter a whole number" };
  const value = Number(text);
  if (value > MAX_MONTHLY_COUNT) return { ok: false, error: `At most ${formatCredits(MAX_MONTHLY_COUNT)} a month` };
  return { ok: true, value };
}

// ───────────────────────────── plans ─────────────────────────────

/** Whether `credits` stays at or under the upgrade threshold of the plan (unlimited plans always fit). */
export function fitsPlan(credits: number, plan: Pick<PlanOffer, "monthlyCredits">): boolean {
  if (plan.monthlyCredits === null) return true;
  return credits * 100 <= plan.monthlyCredits * UPGRADE_THRESHOLD_PERCENT;
}

/** The most credits a month a plan covers under the upgrade threshold (null = unlimited). */
export function thresholdCredits(plan: Pick<PlanOffer, "monthlyCredits">): number | null {
  if (plan.monthlyCredits === null) return null;
  return Math.floor((plan.monthlyCredits * UPGRADE_THRESHOLD_PERCENT) / 100);
}

/** Share of the allowance used, in tenths of a percent (935 of 1,000 → 935 = 93.5 %); null when unlimited. */
export function utilisationPermille(credits: number, monthlyCredits: number | null): number | null {
  if (monthlyCredits === null) return null;
  if (credits === 0) return 0;
  if (monthlyCredits <= 0) return Number.POSITIVE_INFINITY;
  return Math.round((credits * 1000) / monthlyCredits);
}

export function formatPermille(permille: number): string {
  if (!Number.isFinite(permille)) return "over 100%";
  const tenths = Math.round(permille);
  return `${formatInteger(Math.trunc(tenths / 10))}${tenths % 10 === 0 ? "" : `.${Math.abs(tenths % 10)}`}%`;
}

/** Annual billing: the monthly equivalent and what it saves against twelve monthly payments. */
export function annualPricing(plan: Pick<PlanOffer, "priceMonthlyCents" | "priceYearlyCents">) {
  if (plan.priceYearlyCents <= 0) return null;
  const twelveMonthsCents = plan.priceMonthlyCents * 12;
  const savingCents = Math.max(0, twelveMonthsCents - plan.priceYearlyCents);
  return {
    yearlyCents: plan.priceYearlyCents,
    monthlyEquivalentCents: Math.round(plan.priceYearlyCents / 12),
    savingCents,
    savingPercent: twelveMonthsCents > 0 ? Math.round((savingCents * 100) / twelveMonthsCents) : 0,
  };
}

/** Price of 1,000 credits, in cents, rounded ($29 for 5,000 → 580 = $5.80). */
export function centsPerThousandCredits(priceCents: number, credits: number): number | null {
  if (credits <= 0) return null;
  return Math.round((priceCents * 1000) / credits);
}

/** Dollars per single credit for display, three significant digits ($29 / 5,000 → "$0.0058"). */
export function formatDollarsPerCredit(priceCents: number, credits: number): string | null {
  if (credits <= 0) return null;
  if (priceCents === 0) return "$0";
  return `$${formatSignificant(priceCents / 100 / credits, 3)}`;
}

// ───────────────────────────── packs ─────────────────────────────

export type PackLine = { packId: string; name: string; quantity: number; credits: number; priceCents: number };
export type PackCombination = { lines: PackLine[]; credits: number; priceCents: number };

/** Above this many DP cells we stop being exact (only with odd, admin-made pack sizes) and fill with the best-value pack. */
const MAX_DP_CELLS = 200_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The cheapest set of active packs (any number of each) that adds up to at least `credits`.
 * null when credits are needed and no pack is on sale.
 *
 * Unbounded covering knapsack, solved exactly by dynamic programming over pack sizes in units of their
 * gcd. Large amounts are first reduced by taking best-value packs: some cheapest cover holds fewer than
 * B other packs (B = the best-value pack's size in units — any B of them contain a subset whose size
 * is a multiple of B, which B-sized packs replace at no extra cost), and none overshoots by a whole
 * pack, so while the need exceeds (B − 1) × the largest size a cheapest cover contains a best-value pack.
 */
export function cheapestPackCombination(credits: number, packs: readonly PackOffer[]): PackCombination | null {
  assertCount(credits, "credits");
  if (credits === 0) return { lines: [], credits: 0, priceCents: 0 };
  const usable = packs.filter(
    (p) => Number.isSafeInteger(p.credits) && p.credits > 0 && Number.isSafeInteger(p.priceCents) && p.priceCents >= 0,
  );
  if (usable.length === 0) return null;

  const unit = usable.reduce((g, p) => gcd(g, p.credits), 0);
  const sizes = usable.map((p) => p.credits / unit);
  const maxSize = Math.max(...sizes);
  // Best value: lowest price per unit (cross-multiplied, integers); on a tie the larger pack.
  let best = 0;
  for (let i = 1; i < usable.length; i++) {
    const lhs = usable[i]!.priceCents * sizes[best]!;
    const rhs = usable[best]!.priceCents * sizes[i]!;
    if (lhs < rhs || (lhs === rhs && sizes[i]! > sizes[best]!)) best = i;
  }
  const bestSize = sizes[best]!;

  let need = Math.ceil(credits / unit);
  const exactBound = (bestSize - 1) * maxSize;
  const bound = Math.min(exactBound, Math.max(0, MAX_DP_CELLS - maxSize));
  let bulk = 0;
  if (need > bound) {
    bulk = Math.ceil((need - bound) / bestSize);
    need = Math.max(0, need - bulk * bestSize);
  }

  // dp[c] = cheapest price of packs totalling exactly c units; a cover never needs more than need + maxSize − 1.
  const cells = need + maxSize;
  const dp = new Float64Array(cells).fill(Number.POSITIVE_INFINITY);
  const choice = new Int32Array(cells).fill(-1);
  dp[0] = 0;
  for (let c = 1; c < cells; c++) {
    for (let i = 0; i < usable.length; i++) {
      const size = sizes[i]!;
      if (size > c) continue;
      const cost = dp[c - size]! + usable[i]!.priceCents;
      if (cost < dp[c]!) {
        dp[c] = cost;
        choice[c] = i;
      }
    }
  }
  let end = -1;
  for (let c = need; c < cells; c++) if (end < 0 || dp[c]! < dp[end]!) end = c;

  const quantities = usable.map(() => 0);
  quantities[best]! += bulk;
  for (let c = end; c > 0;) {
    const i = choice[c]!;
    quantities[i]! += 1;
    c -= sizes[i]!;
  }
  const lines = usable
    .map((p, i) => ({
      packId: p.id,
      name: p.name,
      quantity: quantities[i]!,
      credits: quantities[i]! * p.credits,
      priceCents: quantities[i]! * p.priceCents,
    }))
    .filter((line) => line.quantity > 0);
  return {
    lines,
    credits: lines.reduce((s, l) => s + l.credits, 0),
    priceCents: lines.reduce((s, l) => s + l.priceCents, 0),
  };
}

// ───────────────────────────── recommendation ─────────────────────────────

export type PlanOption = {
  plan: PlanOffer;
  /** Packs bought each month to cover what the allowance does not. */
  packs: PackCombination;
  /** Plan price + packs, per month. For contact-sales plans the plan price is a starting price. */
  costCents: number;
  utilisationPermille: number | null;
  /** Credits left at the end of the month (allowance + packs − usage); null when unlimited. */
  headroomCredits: number | null;
  /** Under the upgrade threshold without packs. */
  fits: boolean;
};

export type Recommendation = {
  credits: number;
  /** null only when no plan fits (no unlimited plan is on sale and usage exceeds every threshold). */
  plan: PlanOffer | null;
  utilisationPermille: number | null;
  costCents: number | null;
  reason: string;
  /** Cheaper ways to cover the same usage: a smaller plan, topped up with packs where needed. Cheapest first. */
  alternatives: PlanOption[];
};

const creditsText = (n: number) => `${formatCredits(n)} credit${n === 1 ? "" : "s"}`;

/** Plan + the packs needed beyond its whole allowance; null when packs would be needed and none is on sale. */
function optionFor(credits: number, plan: PlanOffer, packs: readonly PackOffer[]): PlanOption | null {
  const overflow = plan.monthlyCredits === null ? 0 : Math.max(0, credits - plan.monthlyCredits);
  const combo = cheapestPackCombination(overflow, packs);
  if (!combo) return null;
  return {
    plan,
    packs: combo,
    costCents: plan.priceMonthlyCents + combo.priceCents,
    utilisationPermille: utilisationPermille(credits, plan.monthlyCredits),
    headroomCredits: plan.monthlyCredits === null ? null : plan.monthlyCredits + combo.credits - credits,
    fits: fitsPlan(credits, plan),
  };
}

/** Cheaper first; on the same price the bigger allowance (unlimited biggest). */
function comparePlans(a: PlanOffer, b: PlanOffer): number {
  return (
    a.priceMonthlyCents - b.priceMonthlyCents ||
    (b.monthlyCredits ?? Number.POSITIVE_INFINITY) - (a.monthlyCredits ?? Number.POSITIVE_INFINITY)
  );
}

/**
 * The cheapest plan that keeps `credits` a month within the upgrade threshold (≤ 80 % of its allowance;
 * unlimited plans always fit), its cost, why, and cheaper alternatives (smaller plans, plus the
 * cheapest packs for what their allowance does not cover).
 */
export function recommendPlan(credits: number, plans: readonly PlanOffer[], packs: readonly PackOffer[]): Recommendation {
  assertCount(credits, "credits");
  const ordered = [...plans].sort(comparePlans);
  const plan = ordered.find((p) => fitsPlan(credits, p)) ?? null;

  const cheaperSelfServe = ordered.filter(
    (p) => !p.contactSales && p.monthlyCredits !== null && (plan === null || comparePlans(p, plan) < 0),
  );
  const alternatives = cheaperSelfServe
    .map((p) => optionFor(credits, p, packs))
    .filter((o): o is PlanOption => o !== null)
    .sort((a, b) => a.costCents - b.costCents || comparePlans(a.plan, b.plan));

  if (!plan) {
    return {
      credits,
      plan: null,
      utilisationPermille: null,
      costCents: null,
      reason: `${creditsText(credits)} a month is more than ${UPGRADE_THRESHOLD_PERCENT}% of every plan’s allowance. Cover it with a plan plus credit packs, or talk to us about a custom plan.`,
      alternatives,
    };
  }

  const permille = utilisationPermille(credits, plan.monthlyCredits);
  // The plan just below the recommendation (by allowance) that does not fit: the reason it was skipped.
  const smaller = [...cheaperSelfServe].sort((a, b) => (b.monthlyCredits ?? 0) - (a.monthlyCredits ?? 0))[0];
  const smallerPermille = smaller ? utilisationPermille(credits, smaller.monthlyCredits)! : 0;
  const skipped = !smaller
    ? ""
    : smallerPermille > 1000
      ? ` ${smaller.name}’s ${creditsText(smaller.monthlyCredits!)} would not cover it.`
      : ` ${smaller.name} would be ${formatPermille(smallerPermille)} full, over the ${UPGRADE_THRESHOLD_PERCENT}% mark where we suggest upgrading.`;
  let reason: string;
  if (plan.monthlyCredits === null) {
    reason = `${creditsText(credits)} a month is more than ${UPGRADE_THRESHOLD_PERCENT}% of every metered plan’s allowance. ${plan.name} has no monthly limit${plan.contactSales ? " — contact sales for a quote" : ""}.${skipped}`;
  } else {
    reason = `${creditsText(credits)} a month uses ${formatPermille(permille!)} of ${plan.name}’s ${creditsText(plan.monthlyCredits)}, within the ${UPGRADE_THRESHOLD_PERCENT}% upgrade threshold, so a busy month still fits.${skipped}`;
  }
  return { credits, plan, utilisationPermille: permille, costCents: plan.priceMonthlyCents, reason, alternatives };
}

/**
 * Why a profile's usual tier differs from the recommendation, or null when they agree (or the usual
 * tier is not on sale).
 */
export function compareWithUsualPlan(recommendation: Recommendation, usualPlan: PlanOffer | undefined, profileName: string): string | null {
  const recommended = recommendation.plan;
  if (!usualPlan || !recommended || usualPlan.id === recommended.id) return null;
  const credits = recommendation.credits;
  if (comparePlans(usualPlan, recommended) > 0) {
    const usualShare =
      usualPlan.monthlyCredits === null
        ? "an unlimited allowance"
        : `${formatPermille(utilisationPermille(credits, usualPlan.monthlyCredits)!)} of its allowance`;
    const limit = thresholdCredits(recommended);
    const seats = recommended.seats;
    const reasons = [
      limit !== null ? `you expect more than ${creditsText(limit)} a month (${UPGRADE_THRESHOLD_PERCENT}% of ${recommended.name})` : null,
      seats !== undefined && seats !== null && usualPlan.seats !== seats
        ? `you need more than ${seats} seat${seats === 1 ? "" : "s"}`
        : null,
    ].filter((r): r is string => r !== null);
    return (
      `The ${profileName.toLowerCase()} profile usually sits on ${usualPlan.name}, but at ${creditsText(credits)} a month that is only ${usualShare}. ` +
      `${recommended.name} covers it for ${formatCents(recommended.priceMonthlyCents)} a month instead of ${usualPlan.contactSales ? "from " : ""}${formatCents(usualPlan.priceMonthlyCents)}.` +
      (reasons.length ? ` ${usualPlan.name} pays off if ${reasons.join(" or ")}.` : "")
    );
  }
  return `The ${profileName.toLowerCase()} profile usually sits on ${usualPlan.name}, but ${creditsText(credits)} a month is over ${UPGRADE_THRESHOLD_PERCENT}% of its allowance at today’s prices, so we suggest ${recommended.name}.`;
}
