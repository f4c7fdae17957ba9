import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { creditPeriod, periodSource } from "@/lib/credits/periods";

const iso = (d: Date) => d.toISOString();

describe("monthly credit periods", () => {
  it("run from the 1st 00:00 UTC to the next 1st", () => {
    const p = creditPeriod(new Date("2026-11-23T12:00:00Z"), "MONTH", new Date("2026-03-15T10:00:00Z"));
    expect(iso(p.start)).toBe("2026-11-01T00:00:00.000Z");
    expect(iso(p.end)).toBe("2026-12-01T00:00:00.000Z");
  });

  it("roll over the year in December", () => {
    const p = creditPeriod(new Date("2026-12-31T23:59:59.999Z"), "MONTH", new Date(0));
    expect(iso(p.end)).toBe("2027-01-01T00:00:00.000Z");
  });

  it("put the boundary instant in the new period", () => {
    const p = creditPeriod(new Date("2026-12-01T00:00:00.000Z"), "MONTH", new Date(0));
    expect(iso(p.start)).toBe("2026-12-01T00:00:00.000Z");
  });
});

describe("annual plans' monthly allowance", () => {
  it("renews at 00:00 UTC on the anchor's day-of-month", () => {
    const anchor = new Date("2026-03-15T09:30:00Z");
    const p = creditPeriod(new Date("2026-11-20T00:00:00Z"), "YEAR", anchor);
    expect(iso(p.start)).toBe("2026-11-15T00:00:00.000Z");
    expect(iso(p.end)).toBe("2026-12-15T00:00:00.000Z");
    expect(iso(creditPeriod(new Date("2026-11-15T00:00:00Z"), "YEAR", anchor).start)).toBe("2026-11-15T00:00:00.000Z");
  });

  it("uses the previous month before this month's renewal day", () => {
    const p = creditPeriod(new Date("2026-11-14T23:59:59Z"), "YEAR", new Date("2026-03-15T09:30:00Z"));
    expect(iso(p.start)).toBe("2026-10-15T00:00:00.000Z");
  });

  it("crosses December into January", () => {
    const p = creditPeriod(new Date("2026-12-20T00:00:00Z"), "YEAR", new Date("2025-06-15T00:00:00Z"));
    expect(iso(p.end)).toBe("2027-01-15T00:00:00.000Z");
  });

  it("clamps the 31st to the month's last day (Feb 28, leap Feb 29)", () => {
    const anchor = new Date("2026-01-31T00:00:00Z");
    expect(iso(creditPeriod(new Date("2027-02-28T12:00:00Z"), "YEAR", anchor).start)).toBe("2027-02-28T00:00:00.000Z");
    expect(iso(creditPeriod(new Date("2028-02-29T12:00:00Z"), "YEAR", anchor).start)).toBe("2028-02-29T00:00:00.000Z");
    expect(iso(creditPeriod(new Date("2027-03-15T00:00:00Z"), "YEAR", anchor).start)).toBe("2027-02-28T00:00:00.000Z");
    expect(iso(creditPeriod(new Date("2027-03-31T00:00:00Z"), "YEAR", anchor).start)).toBe("2027-03-31T00:00:00.000Z");
  });
});

describe("UTC only, no daylight-saving shifts", () => {
  it("puts boundaries at 00:00 UTC across the US and EU clock changes", () => {
    for (const at of ["2026-03-08T07:30:00Z", "2026-03-29T01:30:00Z", "2026-10-25T00:30:00Z", "2026-11-01T06:30:00Z"]) {
      const p = creditPeriod(new Date(at), "MONTH", new Date(0));
      expect(p.start.toISOString()).toMatch(/-01T00:00:00.000Z$/);
      expect(p.end.toISOString()).toMatch(/-01T00:00:00.000Z$/);
    }
    // March 2026 is 31 days of 24 hours in UTC, whatever local clocks did.
    const march = creditPeriod(new Date("2026-03-15T12:00:00Z"), "MONTH", new Date(0));
    expect((march.end.getTime() - march.start.getTime()) / 3_600_000).toBe(31 * 24);
  });
});

describe("period properties", () => {
  const instant = fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true });

  it("every instant lies in its period, and the next period starts where it ends", () => {
    fc.assert(
      fc.property(instant, instant, fc.constantFrom("MONTH" as const, "YEAR" as const), (at, anchor, interval) => {
        const p = creditPeriod(at, interval, anchor);
        expect(p.start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(p.end.getTime());
        const next = creditPeriod(p.end, interval, anchor);
        expect(next.start.getTime()).toBe(p.end.getTime());
        expect(p.start.getUTCHours() + p.start.getUTCMinutes() + p.start.getUTCSeconds() + p.start.getUTCMilliseconds()).toBe(0);
        const days = (p.end.getTime() - p.start.getTime()) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(28);
        expect(days).toBeLessThanOrEqual(31);
      }),
      { numRuns: 500 },
    );
  });

  it("names each period's grant source uniquely", () => {
    const a = periodSource(creditPeriod(new Date("2026-11-02Z"), "MONTH", new Date(0)));
    const b = periodSource(creditPeriod(new Date("2026-11-29Z"), "MONTH", new Date(0)));
    const c = periodSource(creditPeriod(new Date("2026-12-02Z"), "MONTH", new Date(0)));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});
