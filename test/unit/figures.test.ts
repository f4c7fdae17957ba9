import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allowanceFigures } from "@/lib/credits/figures";

describe("billing figures (lib/credits/figures.ts)", () => {
  it("the issue's case: bonus and purchased spend never count against the allowance", () => {
    // Pro, 5,000 allowance all spent, 2,300 more from bonus and purchased credits.
    expect(allowanceFigures({ allowance: 5000, allowanceGrant: { amount: 5000, remaining: 0 }, used: 7300 })).toEqual({
      allowance: 5000,
      allowanceUsed: 5000,
      beyondPlan: 2300,
      percent: 100,
    });
    // After an upgrade to Scale the grant grows to 20,000: 37 % of it, not "over 100 %".
    expect(allowanceFigures({ allowance: 20000, allowanceGrant: { amount: 20000, remaining: 12700 }, used: 7300 })).toMatchObject({
      allowanceUsed: 7300,
      beyondPlan: 0,
      percent: 36,
    });
    expect(allowanceFigures({ allowance: null, allowanceGrant: null, used: 900 })).toEqual({
      allowance: null,
      allowanceUsed: 0,
      beyondPlan: 900,
      percent: 0,
    });
    // Paused: the grant is gone, so nothing of the allowance is being used.
    expect(allowanceFigures({ allowance: 1000, allowanceGrant: null, used: 40 })).toMatchObject({ allowanceUsed: 0, beyondPlan: 40 });
  });

  it("calls paid with x402 are shown apart: they never push the allowance nor count as bonus or purchased", () => {
    // Starter, 200 of its 1,000 spent, plus 500 credits' worth of calls paid per call.
    expect(allowanceFigures({ allowance: 1000, allowanceGrant: { amount: 1000, remaining: 800 }, used: 700, unmetered: 500 })).toEqual({
      allowance: 1000,
      allowanceUsed: 200,
      beyondPlan: 0,
      percent: 20,
    });
    // Nothing of the allowance spent yet: 0 %, however much was paid per call.
    expect(
      allowanceFigures({ allowance: 100, allowanceGrant: { amount: 100, remaining: 100 }, used: 9000, unmetered: 9000 }),
    ).toMatchObject({ allowanceUsed: 0, beyondPlan: 0, percent: 0 });
  });

  it("for any mix of buckets: no N of M with N > M, the parts sum to what was used, the percentage stays within 0–100", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (allowance, fromAllowanceRaw, fromBonus, fromPurchased, paidPerCall) => {
          // Spending order is allowance → bonus → purchased, so the allowance is spent first; calls paid
          // with x402 draw on no grant at any time.
          const fromAllowance = Math.min(allowance, fromAllowanceRaw);
          const used = fromAllowance + (fromAllowance === allowance ? fromBonus + fromPurchased : 0) + paidPerCall;
          const f = allowanceFigures({
            allowance,
            allowanceGrant: { amount: allowance, remaining: allowance - fromAllowance },
            used,
            unmetered: paidPerCall,
          });
          expect(f.allowanceUsed).toBeLessThanOrEqual(allowance);
          expect(f.allowanceUsed).toBe(fromAllowance);
          expect(f.allowanceUsed + f.beyondPlan + paidPerCall).toBe(used);
          expect(f.percent).toBeGreaterThanOrEqual(0);
          expect(f.percent).toBeLessThanOrEqual(100);
          if (f.percent === 100) expect(f.allowanceUsed).toBe(allowance);
        },
      ),
    );
  });
});
