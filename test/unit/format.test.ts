import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  actionKeyParts,
  dayAndTime,
  formatCents,
  formatCredits,
  formatInteger,
  formatLocal,
  formatMoney,
  formatSignificant,
  formatUtc,
  formatUtcDay,
  formatUtcHourMinute,
  formatUtcMonth,
  formatUtcMonthDay,
  utcTwin,
} from "@/lib/format";

const reset = "2027-01-01T00:00:00.000Z";

/** Runs `fn` with this process's local zone set to `zone` (Node re-reads TZ when it is assigned). */
function inZone<T>(zone: string, fn: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe("utcTwin", () => {
  it("is omitted where the local time already is UTC, so the instant is said once", () => {
    expect(inZone("UTC", () => utcTwin(reset))).toBeNull();
    expect(inZone("Etc/UTC", () => utcTwin(reset))).toBeNull();
    expect(inZone("Europe/London", () => utcTwin(reset))).toBeNull(); // GMT in winter
  });

  it("is shown where the local time differs", () => {
    expect(inZone("America/New_York", () => utcTwin(reset))).toBe("Jan 1, 2027, 00:00 UTC");
    expect(inZone("Europe/London", () => utcTwin("2027-07-01T00:00:00.000Z"))).toBe(formatUtc("2027-07-01T00:00:00.000Z")); // BST
    expect(inZone("Asia/Kolkata", () => utcTwin(reset))).toBe("Jan 1, 2027, 00:00 UTC");
  });

  it("never repeats what the local rendering says", () => {
    for (const zone of ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo"]) {
      const [twin, local] = inZone(zone, () => [utcTwin(reset), formatLocal(reset)]);
      if (twin) expect(local).not.toContain("UTC");
      else expect(local).toMatch(/UTC|GMT/);
    }
  });
});

describe("local times (the viewer's zone, from Date's local getters)", () => {
  it("say the local day and time with the offset", () => {
    expect(inZone("America/New_York", () => formatLocal(reset))).toBe("Dec 31, 2026, 7:00 PM EST");
    expect(inZone("Asia/Kolkata", () => formatLocal(reset))).toBe("Jan 1, 2027, 5:30 AM GMT+5:30");
    expect(inZone("Europe/Berlin", () => dayAndTime("2027-07-01T12:34:56.000Z", "local", { seconds: true }))).toEqual({
      day: "Jul 1, 2027",
      time: "2:34:56 PM GMT+2",
    });
    expect(dayAndTime("2027-07-01T00:04:05.000Z", "utc", { seconds: true })).toEqual({ day: "Jul 1, 2027", time: "12:04:05 AM UTC" });
  });

  it("agree with Intl on the day, the clock and the zone's name in any zone", () => {
    const zones = [
      "UTC",
      "Etc/UTC",
      "America/New_York",
      "America/Chicago",
      "America/Denver",
      "America/Phoenix",
      "America/Los_Angeles",
      "America/Anchorage",
      "Pacific/Honolulu",
      "America/Sao_Paulo",
      "Europe/London",
      "Europe/Dublin",
      "Europe/Berlin",
      "Africa/Abidjan",
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "Asia/Tokyo",
      "Australia/Adelaide",
      "Pacific/Chatham",
    ];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const iso = new Date(ms).toISOString();
        const intl = new Intl.DateTimeFormat("en-US", {
          timeZone: zone,
          month: "short",
          day: "numeric",
          year: "numeric",
          hour: "numeric",
          minute: "2-digit",
          second: "2-digit",
          timeZoneName: "short",
        }).format(new Date(ms));
        const ours = inZone(zone, () => dayAndTime(iso, "local", { seconds: true }));
        expect(`${ours.day}, ${ours.time}`).toBe(intl.replace(/\u202f/g, " "));
      }),
      { numRuns: 300 },
    );
  });
});

describe("actionKeyParts", () => {
  it("cuts after each dot and underscore, so a phone breaks between words", () => {
    expect(actionKeyParts("mcp.get_song_intelligence")).toEqual(["mcp.", "get_", "song_", "intelligence"]);
    expect(actionKeyParts("video.generate")).toEqual(["video.", "generate"]);
    expect(actionKeyParts("plain")).toEqual(["plain"]);
    expect(actionKeyParts("a__b..c_")).toEqual(["a__", "b..", "c_"]);
    expect(actionKeyParts("")).toEqual([""]);
  });

  it("always joins back to the key", () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z._]{0,30}$/), (key) => actionKeyParts(key).join("") === key));
  });
});

describe("plain formatting says what Intl says (en-US), without loading Intl in the browser", () => {
  const intlInteger = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const intlCents = (cents: number) =>
    new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(
      cents / 100,
    );
  const intlMoney = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const intlSignificant = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
  const utc = (options: Intl.DateTimeFormatOptions, locale = "en-US") => new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options });
  const anyInstant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) });

  it("integers, credits and money", () => {
    for (const n of [0, 7, 999, 1000, 1234567, -1, -1000, -999999]) expect(formatCredits(n)).toBe(intlInteger.format(n));
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(formatInteger(n)).toBe(intlInteger.format(n));
        expect(formatCents(n)).toBe(intlCents(n));
        expect(formatMoney(n)).toBe(intlMoney.format(n / 100));
      }),
    );
  });

  it("significant digits (the price of one credit)", () => {
    for (const [cents, credits] of [
      [2900, 5000],
      [1000, 100],
      [1, 10_000_000],
      [99_900, 10],
      [123_456, 1],
      [9, 16], // 0.005625 as its shortest decimal, 0.0056249… in binary: Intl says 0.00563
    ] as const) {
      expect(formatSignificant(cents / 100 / credits, 3)).toBe(intlSignificant.format(cents / 100 / credits));
    }
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (cents, credits) => {
        expect(formatSignificant(cents / 100 / credits, 3)).toBe(intlSignificant.format(cents / 100 / credits));
      }),
      { numRuns: 5_000 },
    );
  });

  it("UTC dates and times", () => {
    fc.assert(
      fc.property(anyInstant, (ms) => {
        const d = new Date(ms);
        const iso = d.toISOString();
        expect(formatUtcDay(iso)).toBe(utc({ month: "short", day: "numeric", year: "numeric" }).format(d));
        expect(formatUtcMonthDay(ms)).toBe(utc({ month: "short", day: "numeric" }).format(d));
        expect(formatUtcMonth(d)).toBe(utc({ month: "short", year: "numeric" }).format(d));
        expect(formatUtcMonth(d, true)).toBe(utc({ month: "long", year: "numeric" }).format(d));
        expect(formatUtcHourMinute(iso)).toBe(utc({ hour: "2-digit", minute: "2-digit" }, "en-GB").format(d));
        expect(formatUtc(iso)).toBe(
          `${utc({ month: "short", day: "numeric", year: "numeric" }).format(d)}, ${utc({ hour: "2-digit", minute: "2-digit" }, "en-GB").format(d)} UTC`,
        );
      }),
    );
    expect(() => formatUtcDay("not a date")).toThrow(RangeError);
  });
});
