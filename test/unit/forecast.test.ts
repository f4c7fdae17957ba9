import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forecast } from "@/lib/usage/forecast";

const period = { periodStart: "2026-11-01T00:00:00.000Z", periodEnd: "2026-12-01T00:00:00.000Z" };

describe("forecast", () => {
  it("projects today's pace to the period's end: 400 used in 10 days of 30 → 1,200", () => {
    const f = forecast({ ...period, used: 400, remaining: 1000, asOf: "2026-11-11T00:00:00.000Z" });
    expect(f).toEqual({ ranOut: false, perDay: 40, projectedUse: 1200, runsOutAt: null });
  });

  it("names the run-out date when it comes before the reset", () => {
    const f = forecast({ ...period, used: 400, remaining: 200, asOf: "2026-11-11T00:00:00.000Z" });
    expect(f?.runsOutAt).toBe("2026-11-16T00:00:00.000Z"); // 200 more at 40 a day
  });

  it("at 0 remaining says the credits have run out, never a run-out date (not even today)", () => {
    const f = forecast({ ...period, used: 400, remaining: 0, asOf: "2026-11-11T00:00:00.000Z" });
    expect(f).toEqual({ ranOut: true, perDay: 40, projectedUse: 400, runsOutAt: null });
    // Overdrawn, no usage yet, or in the first hours: still "run out", never a date.
    expect(forecast({ ...period, used: 410, remaining: -10, asOf: "2026-11-11T00:00:00.000Z" })?.ranOut).toBe(true);
    expect(forecast({ ...period, used: 0, remaining: 0, asOf: "2026-11-01T01:00:00.000Z" })).toEqual({
      ranOut: true,
      perDay: 0,
      projectedUse: 0,
      runsOutAt: null,
    });
  });

  it("with credits left is never 'run out', and a run-out date comes after now", () => {
    const f = forecast({ ...period, used: 400, remaining: 1, asOf: "2026-11-11T00:00:00.000Z" });
    expect(f?.ranOut).toBe(false);
    expect(f?.runsOutAt && f.runsOutAt > "2026-11-11T00:00:00.000Z").toBe(true);
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
        if (remaining === 0) return f !== null && f.ranOut && f.runsOutAt === null && f.projectedUse === used;
        if (used === 0) return f === null;
        if (!f || f.ranOut) return false;
        const inside = f.runsOutAt === null || (f.runsOutAt >= asOf && f.runsOutAt < period.periodEnd);
        return f.projectedUse >= used && inside;
      }),
    );
  });
});
