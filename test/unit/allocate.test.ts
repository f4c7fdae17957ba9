import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocate, compareSpendOrder, type SpendableGrant } from "@/lib/credits/allocate";

const day = (n: number) => new Date(Date.UTC(2026, 10, n));
const g = (id: string, type: SpendableGrant["type"], remaining: number, expiresAt: Date | null, createdAt = day(1)): SpendableGrant => ({
  id,
  type,
  remaining,
  expiresAt,
  createdAt,
});

describe("deduction order", () => {
  it("spends SUBSCRIPTION, then BONUS, then PURCHASED", () => {
    const grants = [g("p", "PURCHASED", 50, null), g("b", "BONUS", 30, null), g("s", "SUBSCRIPTION", 10, day(30))];
    expect(allocate(grants, 45)).toEqual([
      { grantId: "s", credits: 10 },
      { grantId: "b", credits: 30 },
      { grantId: "p", credits: 5 },
    ]);
  });

  it("within a type, spends the soonest expiry first, never-expiring last, then the oldest", () => {
    const grants = [
      g("never", "PURCHASED", 5, null, day(1)),
      g("late", "PURCHASED", 5, day(20)),
      g("soon", "PURCHASED", 5, day(10)),
      g("never-newer", "PURCHASED", 5, null, day(2)),
    ];
    expect([...grants].sort(compareSpendOrder).map((x) => x.id)).toEqual(["soon", "late", "never", "never-newer"]);
  });

  it("is all or nothing", () => {
    expect(allocate([g("s", "SUBSCRIPTION", 3, null), g("b", "BONUS", 1, null)], 5)).toBeNull();
    expect(allocate([], 0)).toEqual([]);
  });

  it("rejects negative or fractional amounts", () => {
    expect(() => allocate([], -1)).toThrow(RangeError);
    expect(() => allocate([], 1.5)).toThrow(RangeError);
  });
});

describe("allocation properties", () => {
  const grantArb = fc.record({
    id: fc.uuid(),
    type: fc.constantFrom("SUBSCRIPTION" as const, "BONUS" as const, "PURCHASED" as const),
    remaining: fc.integer({ min: 0, max: 1_000 }),
    expiresAt: fc.option(fc.date({ min: day(1), max: day(30), noInvalidDate: true }), { nil: null }),
    createdAt: fc.date({ min: day(1), max: day(30), noInvalidDate: true }),
  });

  it("covers exactly the cost, never overdraws, and uses a grant only after every earlier one is empty", () => {
    fc.assert(
      fc.property(fc.array(grantArb, { maxLength: 8 }), fc.integer({ min: 0, max: 5_000 }), (grants, credits) => {
        const total = grants.reduce((s, x) => s + x.remaining, 0);
        const result = allocate(grants, credits);
        if (total < credits) {
          expect(result).toBeNull();
          return;
        }
        expect(result).not.toBeNull();
        const taken = new Map(result!.map((a) => [a.grantId, a.credits]));
        expect(result!.reduce((s, a) => s + a.credits, 0)).toBe(credits);
        const ordered = [...grants].sort(compareSpendOrder);
        let seenPartial = false;
        for (const grant of ordered) {
          const t = taken.get(grant.id) ?? 0;
          expect(t).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThanOrEqual(grant.remaining);
          if (seenPartial) expect(t).toBe(0);
          if (t < grant.remaining) seenPartial = true;
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
