import { describe, expect, it } from "vitest";
import { chartBuckets, parsePeriodParam, periodDays, periodLabel, previousPeriod, type PeriodClock } from "@/lib/usage/periods";
import { parseHistoryQuery } from "@/lib/usage/params";
import { historySearch, parseGroup } from "@/lib/usage/search";
import { categorySeries } from "@/components/charts/category-series";

const d = (iso: string) => new Date(iso);
const monthly: PeriodClock = { interval: "MONTH", anchor: d("2025-03-15T10:00:00Z"), at: d("2026-12-07T01:00:00Z") };
// An annual plan renewed on the 31st: its months start on the 31st, or the month's last day.
const annual: PeriodClock = { interval: "YEAR", anchor: d("2026-01-31T09:30:00Z"), at: d("2026-12-07T01:00:00Z") };

describe("?period= on Billing", () => {
  it("is the current period when blank or the current period's own start", () => {
    expect(parsePeriodParam(undefined, monthly)).toEqual({ kind: "current" });
    expect(parsePeriodParam("  ", monthly)).toEqual({ kind: "current" });
    expect(parsePeriodParam("2026-12-01", monthly)).toEqual({ kind: "current" });
  });

  it("names an earlier monthly period by its first day", () => {
    expect(parsePeriodParam("2026-11-01", monthly)).toEqual({
      kind: "past",
      period: { start: d("2026-11-01T00:00:00Z"), end: d("2026-12-01T00:00:00Z") },
    });
    expect(parsePeriodParam(["2025-01-01", "2026-11-01"], monthly)).toEqual({
      kind: "past",
      period: { start: d("2025-01-01T00:00:00Z"), end: d("2025-02-01T00:00:00Z") },
    });
  });

  it("refuses what is not a period start, with a note naming why", () => {
    const cases: [string, RegExp][] = [
      ["2026-11-15", /No credit period starts on Nov 15, 2026 \(it is inside November 2026\)/],
      ["2026-02-30", /is not a day/],
      ["november", /“november” is not a day/],
      ["2027-01-01", /has not begun yet/],
      ["2026-11-01T00:00", /is not a day/],
    ];
    for (const [value, note] of cases) {
      const choice = parsePeriodParam(value, monthly);
      expect(choice.kind, value).toBe("invalid");
      expect(choice.kind === "invalid" && choice.note, value).toMatch(note);
      expect(choice.kind === "invalid" && choice.note, value).toMatch(/the current period is shown\.$/);
    }
  });

  it("follows an annual plan's renewal day, clamped to short months", () => {
    // Current: Nov 30 – Dec 31 (December has a 31st; November does not).
    expect(parsePeriodParam("2026-11-30", annual)).toEqual({ kind: "current" });
    expect(parsePeriodParam("2026-10-31", annual)).toEqual({
      kind: "past",
      period: { start: d("2026-10-31T00:00:00Z"), end: d("2026-11-30T00:00:00Z") },
    });
    expect(parsePeriodParam("2026-02-28", annual)).toEqual({
      kind: "past",
      period: { start: d("2026-02-28T00:00:00Z"), end: d("2026-03-31T00:00:00Z") },
    });
    expect(parsePeriodParam("2026-11-01", annual).kind).toBe("invalid"); // a calendar month is not this plan's period
  });
});

describe("period names and ranges", () => {
  it("names calendar months by month and annual months by their days", () => {
    expect(periodLabel({ start: d("2026-11-01T00:00:00Z"), end: d("2026-12-01T00:00:00Z") })).toBe("November 2026");
    expect(periodLabel({ start: d("2026-10-31T00:00:00Z"), end: d("2026-11-30T00:00:00Z") })).toBe("Oct 31 – Nov 29, 2026");
    expect(periodLabel({ start: d("2026-12-15T00:00:00Z"), end: d("2027-01-15T00:00:00Z") })).toBe("Dec 15, 2026 – Jan 14, 2027");
  });

  it("gives Usage's from/to as the period's first and last UTC days, both inclusive", () => {
    expect(periodDays({ start: d("2026-02-01T00:00:00Z"), end: d("2026-03-01T00:00:00Z") })).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(previousPeriod({ start: d("2026-01-01T00:00:00Z"), end: d("2026-02-01T00:00:00Z") }, monthly)).toEqual({
      start: d("2025-12-01T00:00:00Z"),
      end: d("2026-01-01T00:00:00Z"),
    });
  });

  it("charts a range by day up to 62 days, by month beyond", () => {
    const month = chartBuckets(d("2026-11-01T00:00:00Z"), d("2026-12-01T00:00:00Z"));
    expect(month.bucket).toBe("day");
    expect(month.keys).toHaveLength(30);
    expect([month.keys[0], month.keys.at(-1)]).toEqual(["2026-11-01", "2026-11-30"]);
    const year = chartBuckets(d("2026-01-15T08:00:00Z"), d("2026-12-08T00:00:00Z"));
    expect(year.bucket).toBe("month");
    expect(year.keys).toHaveLength(12);
    expect([year.keys[0], year.keys.at(-1)]).toEqual(["2026-01-01", "2026-12-01"]);
  });

  it("fills the chart's empty buckets with zeros", () => {
    const series = categorySeries(
      [{ day: "2026-11-02", credits: { ARIA: 3, SONIC: 0, IMAGE: 5, VIDEO: 0, MCP: 0, OTHER: 1 } }],
      ["2026-11-01", "2026-11-02"],
    );
    expect(series.map((s) => [s.key, s.label, s.credits.ARIA + s.credits.IMAGE + s.credits.OTHER])).toEqual([
      ["2026-11-01", "Nov 1", 0],
      ["2026-11-02", "Nov 2", 9],
    ]);
  });
});

describe("?group= on Usage", () => {
  it("takes action, member or key, and nothing else", () => {
    expect(["action", "member", "key"].map(parseGroup)).toEqual(["action", "member", "key"]);
    expect(["", "who", "category", "ACTION "].map(parseGroup)).toEqual([null, null, null, null]);
  });

  it("is read with the filters, filters nothing, and a bad value is left out with a note (the CSV export goes ahead)", () => {
    const q = parseHistoryQuery(new URLSearchParams("from=2026-11-01&to=2026-11-30&group=Member"), ["aria.chat"]);
    expect(q.group).toBe("member");
    expect(q.applied.group).toBe("member");
    expect(q.filters).toEqual({ from: d("2026-11-01T00:00:00Z"), to: d("2026-12-01T00:00:00Z") });
    expect(historySearch(q.applied)).toBe("?from=2026-11-01&to=2026-11-30&group=member");

    const bad = parseHistoryQuery({ group: "<script>" }, ["aria.chat"]);
    expect(bad.group).toBeNull();
    expect(bad.applied.group).toBe("");
    expect(bad.problems).toEqual([]);
    expect(bad.notes).toEqual(["“<script>” is not a way to group the breakdown: showing it by member or API key."]);
    expect(bad.filtered).toBe(false);
  });
});
