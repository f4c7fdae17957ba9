import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forecast } from "@/lib/credits/forecast";

const period = { periodStart: "2026-11-01T00:00:00.000Z", periodEnd: "2026-12-01T00:00:00.000Z" };

describe("forecast", () => {
  it("projects today's pace to the period's end: 400 used in 10 days of 30 → 1,200", () => {
    const f = forecast({ ...period, used: 400, remaining: 1000, asOf: "2026-11-11T00:00:00.000Z" });
    expect(f).toEqual({ perDay: 40, projectedUse: 1200, runsOutAt: null });
  });

  it("names the run-out date when it comes before the reset", () => {
    const f = forecast({ ...period, used: 400, remaining: 200, asOf: "2026-11-11T00:00:00.000Z" });
    expect(f?.runsOutAt).toBe("2026-11-16T00:00:00.000Z"); // 200 more at 40 a day
  });

  it("says nothing without usage or in the first hours of a period", () => {
    expect(forecast({ ...period, used: 0, remaining: 100, asOf: "2026-11-20T00:00:00.000Z" })).toBeNull();
    expect(forecast({ ...period, used: 50, remaining: 100, asOf: "2026-11-01T02:00:00.000Z" })).toBeNull();
  });

  it("never projects less than what is used, and a run-out date is always inside the period", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.integer({ min: 6 * 3600, max: 30 * 86_400 - 1 }), (used, remaining, seconds) => {
        const asOf = new Date(Date.parse(period.periodStart) + seconds * 1000).toISOString();
        const f = forecast({ ...period, used, remaining, asOf });
        if (used === 0) return f === null;
        if (!f) return false;
        const inside = f.runsOutAt === null || (f.runsOutAt >= asOf && f.runsOutAt < period.periodEnd);
        return f.projectedUse >= used && inside;
      }),
    );
  });
});
