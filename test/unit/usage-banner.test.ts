import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { usageBanner, type UsageAlertView } from "@/lib/alerts/rules";

const alert = (threshold: number, outOfCredits = false): UsageAlertView => ({
  id: `a${threshold}`,
  threshold,
  used: threshold * 50,
  allowance: 5_000,
  planName: "Pro",
  outOfCredits,
  periodStart: "2026-12-01T00:00:00.000Z",
  periodEnd: "2027-01-01T00:00:00.000Z",
  createdAt: "2026-12-06T00:00:00.000Z",
});

const base = {
  unlimited: false,
  allowance: 5_000,
  allowanceUsed: 0,
  remaining: 5_300,
  alerts: [] as UsageAlertView[],
  dismissedThreshold: null as number | null,
};

describe("usageBanner: one banner on Billing, never two saying the same", () => {
  it("nothing below 80 % without alerts, and nothing ever on an unlimited plan", () => {
    expect(usageBanner({ ...base, allowanceUsed: 4_000 })).toBeNull(); // exactly 80 %: the prompt is above it
    expect(
      usageBanner({ ...base, unlimited: true, allowance: null, allowanceUsed: 9_999, remaining: 0, alerts: [alert(100, true)] }),
    ).toBeNull();
  });

  it("above 80 %: the alert with the upgrade offer when there is one, else the prompt", () => {
    expect(usageBanner({ ...base, allowanceUsed: 4_100, alerts: [alert(50), alert(80)] })).toEqual({
      kind: "alert",
      alert: alert(80),
      offer: true,
    });
    expect(usageBanner({ ...base, allowanceUsed: 4_100 })).toEqual({ kind: "prompt" });
  });

  it("a 50 % alert carries no upgrade offer", () => {
    expect(usageBanner({ ...base, allowanceUsed: 2_600, alerts: [alert(50)] })).toEqual({ kind: "alert", alert: alert(50), offer: false });
  });

  it("a dismissed 80 % alert takes its prompt with it for the period; a dismissed 50 % one does not", () => {
    expect(usageBanner({ ...base, allowanceUsed: 4_100, dismissedThreshold: 80 })).toBeNull();
    expect(usageBanner({ ...base, allowanceUsed: 4_100, dismissedThreshold: 50 })).toEqual({ kind: "prompt" });
  });

  it("out of credits wins over every alert, dismissed or not", () => {
    expect(usageBanner({ ...base, allowanceUsed: 5_000, remaining: 0, alerts: [alert(80), alert(100, true)] })).toEqual({
      kind: "out",
      alert: alert(100, true),
    });
    expect(usageBanner({ ...base, allowanceUsed: 5_000, remaining: 0, dismissedThreshold: 100 })).toEqual({ kind: "out", alert: null });
  });

  it("any figures give at most one banner, and the prompt only above 80 % with nothing dismissed at 80 or more", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.subarray([50, 80, 100]),
        fc.option(fc.constantFrom(50, 80, 100), { nil: null }),
        (allowance, usedRaw, remaining, thresholds, dismissedThreshold) => {
          const allowanceUsed = Math.min(usedRaw, allowance);
          const banner = usageBanner({
            ...base,
            allowance,
            allowanceUsed,
            remaining,
            alerts: thresholds.map((t) => alert(t)),
            dismissedThreshold,
          });
          if (remaining === 0) expect(banner?.kind).toBe("out");
          if (banner?.kind === "prompt") {
            expect(allowanceUsed * 100).toBeGreaterThan(allowance * 80);
            expect(thresholds).toEqual([]);
            expect((dismissedThreshold ?? 0) < 80).toBe(true);
          }
          if (banner?.kind === "alert") expect(banner.alert.threshold).toBe(Math.max(...thresholds));
        },
      ),
    );
  });
});
