import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_ACTION_PRICES, DEFAULT_PACKS, DEFAULT_PLANS } from "@/lib/pricing/catalog-defaults";
import { USAGE_PROFILES } from "@/lib/pricing/profiles";
import {
  annualPricing,
  centsPerThousandCredits,
  cheapestPackCombination,
  compareWithUsualPlan,
  estimateMonthlyCredits,
  fitsPlan,
  formatDollarsPerCredit,
  formatPermille,
  MAX_MONTHLY_COUNT,
  parseCount,
  recommendPlan,
  thresholdCredits,
  type PackOffer,
  type PlanOffer,
} from "@/lib/pricing/estimate";

const plans: PlanOffer[] = DEFAULT_PLANS;
const packs: PackOffer[] = DEFAULT_PACKS;
const prices = DEFAULT_ACTION_PRICES;
const plan = (id: string) => plans.find((p) => p.id === id)!;
const profile = (id: string) => USAGE_PROFILES.find((p) => p.id === id)!;

describe("the seed's profiles at the seeded prices", () => {
  it.each([
    ["curious", 30, "free", 300],
    ["solo-artist", 165, "starter", 165],
    ["manager", 935, "pro", 187],
    ["label", 2_950, "pro", 590],
  ])("%s: %i credits a month → %s (%i‰ of its allowance)", (id, credits, planId, permille) => {
    const p = profile(id);
    const total = estimateMonthlyCredits(p.counts, prices);
    expect(total).toBe(credits);
    expect(total).toBe(p.seedTotalCredits);
    const rec = recommendPlan(total, plans, packs);
    expect(rec.plan?.id).toBe(planId);
    expect(rec.utilisationPermille).toBe(permille);
    expect(rec.costCents).toBe(plan(planId).priceMonthlyCents);
  });

  it("every profile only counts actions that are in the seeded price table", () => {
    const keys = new Set(prices.map((p) => p.actionKey));
    for (const p of USAGE_PROFILES) for (const key of Object.keys(p.counts)) expect(keys, `${p.id}: ${key}`).toContain(key);
  });

  it("explains Pro for the manager: Starter would be 93.5 % full", () => {
    const rec = recommendPlan(935, plans, packs);
    expect(rec.reason).toContain("18.7% of Pro’s 5,000 credits");
    expect(rec.reason).toContain("Starter would be 93.5% full");
  });

  it("says when the next plan down would not cover the usage at all", () => {
    expect(recommendPlan(165, plans, packs).reason).toContain("Free’s 100 credits would not cover it.");
  });

  it("lists cheaper alternatives for the manager: Starter alone, or Free plus one pack", () => {
    const rec = recommendPlan(935, plans, packs);
    expect(
      rec.alternatives.map((a) => [a.plan.id, a.costCents, a.headroomCredits, a.packs.lines.map((l) => `${l.quantity}×${l.packId}`)]),
    ).toEqual([
      ["starter", 999, 65, []],
      ["free", 1_000, 165, ["1×starter_1000"]],
    ]);
    expect(rec.alternatives.every((a) => !a.fits)).toBe(true);
  });

  it("lists Starter plus packs and Free plus packs for the label", () => {
    const rec = recommendPlan(2_950, plans, packs);
    expect(rec.alternatives.map((a) => [a.plan.id, a.costCents, a.packs.credits])).toEqual([
      ["starter", 999 + 2_000, 2_000],
      ["free", 3_000, 3_000],
    ]);
  });

  it("says why the label's usual tier, Scale, is more than it needs", () => {
    const rec = recommendPlan(2_950, plans, packs);
    const note = compareWithUsualPlan(rec, plan("scale"), "Label");
    expect(note).toContain("usually sits on Scale");
    expect(note).toContain("14.8% of its allowance");
    expect(note).toContain("Pro covers it for $29 a month instead of $99");
    expect(note).toContain("more than 4,000 credits a month (80% of Pro)");
    expect(note).toContain("more than 3 seats");
    for (const id of ["curious", "solo-artist", "manager"]) {
      const p = profile(id);
      const r = recommendPlan(estimateMonthlyCredits(p.counts, prices), plans, packs);
      expect(compareWithUsualPlan(r, plan(p.usualPlanId), p.name)).toBeNull();
    }
  });

  it("says so when the usual tier is too small at today's prices", () => {
    const rec = recommendPlan(900, plans, packs);
    expect(compareWithUsualPlan(rec, plan("starter"), "Solo artist")).toContain("over 80% of its allowance");
  });
});

describe("the 80 % upgrade threshold", () => {
  it.each([
    [0, "free"],
    [80, "free"],
    [81, "starter"],
    [800, "starter"],
    [801, "pro"],
    [4_000, "pro"],
    [4_001, "scale"],
    [16_000, "scale"],
    [16_001, "enterprise"],
    [10_000_000, "enterprise"],
  ])("%i credits → %s", (credits, id) => {
    expect(recommendPlan(credits, plans, packs).plan?.id).toBe(id);
  });

  it("an unlimited plan always fits and shows no utilisation", () => {
    const rec = recommendPlan(50_000, plans, packs);
    expect(rec.plan?.monthlyCredits).toBeNull();
    expect(rec.utilisationPermille).toBeNull();
    expect(rec.reason).toContain("no monthly limit");
    expect(rec.reason).toContain("contact sales");
    // Scale plus packs is cheaper than Enterprise's starting price.
    expect(rec.alternatives[0]).toMatchObject({ plan: { id: "scale" }, costCents: 9_900 + 30_000 });
  });

  it("recommends nothing when no plan fits and none is unlimited, but still offers plan + packs", () => {
    const rec = recommendPlan(
      30_000,
      plans.filter((p) => p.monthlyCredits !== null),
      packs,
    );
    expect(rec.plan).toBeNull();
    expect(rec.costCents).toBeNull();
    expect(rec.reason).toContain("more than 80% of every plan’s allowance");
    expect(rec.alternatives.length).toBe(4);
    for (const a of rec.alternatives) expect(a.plan.monthlyCredits! + a.packs.credits).toBeGreaterThanOrEqual(30_000);
  });

  it("thresholdCredits is the last credit count that fits", () => {
    for (const p of plans) {
      const limit = thresholdCredits(p);
      if (limit === null) continue;
      expect(fitsPlan(limit, p)).toBe(true);
      expect(fitsPlan(limit + 1, p)).toBe(false);
    }
  });
});

describe("estimateMonthlyCredits", () => {
  it("multiplies counts by the action's credits and ignores actions without a price", () => {
    expect(estimateMonthlyCredits({ "video.generate": 3, "aria.chat": 2, "no.such.action": 99 }, prices)).toBe(62);
    expect(estimateMonthlyCredits({}, prices)).toBe(0);
  });

  it("rejects negative or fractional counts", () => {
    expect(() => estimateMonthlyCredits({ "aria.chat": -1 }, prices)).toThrow(RangeError);
    expect(() => estimateMonthlyCredits({ "aria.chat": 1.5 }, prices)).toThrow(RangeError);
  });

  it("follows a price edit", () => {
    const edited = prices.map((p) => (p.actionKey === "aria.chat" ? { ...p, credits: 2 } : p));
    expect(estimateMonthlyCredits(profile("curious").counts, edited)).toBe(50);
  });

  it("is additive in the counts", () => {
    const keys = prices.map((p) => p.actionKey);
    const counts = fc.dictionary(fc.constantFrom(...keys), fc.nat({ max: MAX_MONTHLY_COUNT }));
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const sum: Record<string, number> = { ...a };
        for (const [k, v] of Object.entries(b)) sum[k] = (sum[k] ?? 0) + v;
        expect(estimateMonthlyCredits(sum, prices)).toBe(estimateMonthlyCredits(a, prices) + estimateMonthlyCredits(b, prices));
      }),
    );
  });
});

describe("parseCount", () => {
  it.each([
    ["", { ok: true, value: 0 }],
    ["  42 ", { ok: true, value: 42 }],
    ["1,000", { ok: true, value: 1_000 }],
    [String(MAX_MONTHLY_COUNT), { ok: true, value: MAX_MONTHLY_COUNT }],
    ["-3", { ok: false, error: "Can’t be negative" }],
    ["2.5", { ok: false, error: "Enter a whole number" }],
    ["1e3", { ok: false, error: "Enter a whole number" }],
    ["abc", { ok: false, error: "Enter a whole number" }],
    [String(MAX_MONTHLY_COUNT + 1), { ok: false, error: "At most 1,000,000 a month" }],
  ])("%j → %j", (raw, expected) => {
    expect(parseCount(raw)).toEqual(expected);
  });
});

describe("prices for display", () => {
  it("annual billing: the monthly equivalent and the saving against 12 monthly payments", () => {
    expect(annualPricing(plan("starter"))).toEqual({
      yearlyCents: 9_990,
      monthlyEquivalentCents: 833,
      savingCents: 1_998,
      savingPercent: 17,
    });
    expect(annualPricing(plan("pro"))).toEqual({
      yearlyCents: 29_000,
      monthlyEquivalentCents: 2_417,
      savingCents: 5_800,
      savingPercent: 17,
    });
    expect(annualPricing(plan("free"))).toBeNull();
  });

  it("price per credit matches the seed's $/1,000 credits table", () => {
    expect(centsPerThousandCredits(999, 1_000)).toBe(999);
    expect(centsPerThousandCredits(2_900, 5_000)).toBe(580);
    expect(centsPerThousandCredits(9_900, 20_000)).toBe(495);
    expect(formatDollarsPerCredit(2_900, 5_000)).toBe("$0.0058");
    expect(formatDollarsPerCredit(1_000, 1_000)).toBe("$0.01");
    expect(formatPermille(935)).toBe("93.5%");
    expect(formatPermille(590)).toBe("59%");
  });
});

/** Reference: plain DP over every total up to need + the largest pack (no shortcuts). */
function bruteForcePackCost(credits: number, offers: PackOffer[]): number {
  if (credits === 0) return 0;
  const max = Math.max(...offers.map((p) => p.credits));
  const dp = new Array<number>(credits + max).fill(Infinity);
  dp[0] = 0;
  for (let c = 1; c < dp.length; c++)
    for (const p of offers) if (p.credits <= c) dp[c] = Math.min(dp[c]!, dp[c - p.credits]! + p.priceCents);
  return Math.min(...dp.slice(credits));
}

const packArb = fc
  .array(fc.record({ credits: fc.integer({ min: 1, max: 40 }), priceCents: fc.integer({ min: 0, max: 500 }) }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((list) => list.map((p, i) => ({ id: `p${i}`, name: `Pack ${i}`, ...p })));

describe("cheapestPackCombination", () => {
  it("uses the seeded packs at $10 per 1,000 credits", () => {
    expect(cheapestPackCombination(0, packs)).toEqual({ lines: [], credits: 0, priceCents: 0 });
    expect(cheapestPackCombination(1, packs)?.priceCents).toBe(1_000);
    expect(cheapestPackCombination(26_001, packs)?.priceCents).toBe(27_000);
    expect(cheapestPackCombination(5, [])).toBeNull();
  });

  it("mixes pack sizes when that is cheaper", () => {
    const offers = [
      { id: "small", name: "Small", credits: 1_000, priceCents: 1_000 },
      { id: "big", name: "Big", credits: 5_000, priceCents: 4_500 },
    ];
    expect(cheapestPackCombination(5_500, offers)).toEqual({
      lines: [
        { packId: "small", name: "Small", quantity: 1, credits: 1_000, priceCents: 1_000 },
        { packId: "big", name: "Big", quantity: 1, credits: 5_000, priceCents: 4_500 },
      ],
      credits: 6_000,
      priceCents: 5_500,
    });
    expect(cheapestPackCombination(4_100, offers)?.priceCents).toBe(4_500);
    expect(cheapestPackCombination(10_000_000, offers)?.priceCents).toBe(9_000_000);
  });

  it("always covers the need at the cheapest possible price", () => {
    fc.assert(
      fc.property(packArb, fc.integer({ min: 0, max: 3_000 }), (offers, credits) => {
        const combo = cheapestPackCombination(credits, offers)!;
        expect(combo.credits).toBeGreaterThanOrEqual(credits);
        expect(combo.priceCents).toBe(bruteForcePackCost(credits, offers));
        expect(combo.credits).toBe(combo.lines.reduce((s, l) => s + l.quantity * offers.find((o) => o.id === l.packId)!.credits, 0));
        expect(Number.isInteger(combo.priceCents)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

const planArb = fc
  .array(
    fc.record({
      monthlyCredits: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null, freq: 6 }),
      priceMonthlyCents: fc.integer({ min: 0, max: 30_000 }),
      contactSales: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((list) => list.map((p, i) => ({ id: `plan${i}`, name: `Plan ${i}`, priceYearlyCents: p.priceMonthlyCents * 10, ...p })));

describe("recommendPlan properties", () => {
  const usage = fc.integer({ min: 0, max: 200_000 });

  it("the recommendation fits under 80 % (or is unlimited), and no cheaper plan fits", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(plans), planArb), usage, (offers, credits) => {
        const rec = recommendPlan(credits, offers, packs);
        if (rec.plan === null) {
          expect(offers.some((p) => fitsPlan(credits, p))).toBe(false);
          return;
        }
        const { monthlyCredits } = rec.plan;
        expect(monthlyCredits === null || credits * 100 <= monthlyCredits * 80).toBe(true);
        for (const p of offers) if (p.priceMonthlyCents < rec.plan.priceMonthlyCents) expect(fitsPlan(credits, p)).toBe(false);
      }),
    );
  });

  it("never recommends a cheaper plan for more usage", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(plans), planArb), usage, usage, (offers, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const recLow = recommendPlan(low, offers, packs);
        const recHigh = recommendPlan(high, offers, packs);
        if (recHigh.plan === null) return;
        expect(recLow.plan).not.toBeNull();
        expect(recHigh.plan.priceMonthlyCents).toBeGreaterThanOrEqual(recLow.plan!.priceMonthlyCents);
      }),
    );
  });

  it("alternatives are cheaper self-serve plans whose allowance plus packs covers the usage, in order of cost", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(plans), planArb), usage, (offers, credits) => {
        const rec = recommendPlan(credits, offers, packs);
        for (const alt of rec.alternatives) {
          expect(alt.plan.contactSales).toBe(false);
          expect(alt.plan.monthlyCredits! + alt.packs.credits).toBeGreaterThanOrEqual(credits);
          expect(alt.headroomCredits).toBeGreaterThanOrEqual(0);
          expect(alt.costCents).toBe(alt.plan.priceMonthlyCents + alt.packs.priceCents);
          if (rec.plan) expect(alt.plan.priceMonthlyCents).toBeLessThanOrEqual(rec.plan.priceMonthlyCents);
        }
        const costs = rec.alternatives.map((a) => a.costCents);
        expect(costs).toEqual([...costs].sort((x, y) => x - y));
      }),
    );
  });
});
