import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionKeyParts, formatLocal, formatUtc, utcTwin } from "@/lib/format";

const reset = "2027-01-01T00:00:00.000Z";

describe("utcTwin", () => {
  it("is omitted where the local time already is UTC, so the instant is said once", () => {
    expect(utcTwin(reset, "UTC")).toBeNull();
    expect(utcTwin(reset, "Etc/UTC")).toBeNull();
    expect(utcTwin(reset, "Europe/London")).toBeNull(); // GMT in winter
  });

  it("is shown where the local time differs", () => {
    expect(utcTwin(reset, "America/New_York")).toBe("Jan 1, 2027, 00:00 UTC");
    expect(utcTwin("2027-07-01T00:00:00.000Z", "Europe/London")).toBe(formatUtc("2027-07-01T00:00:00.000Z")); // BST
    expect(utcTwin(reset, "Asia/Kolkata")).toBe("Jan 1, 2027, 00:00 UTC");
  });

  it("never repeats what the local rendering says", () => {
    for (const zone of ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo"]) {
      const twin = utcTwin(reset, zone);
      if (twin) expect(formatLocal(reset, zone)).not.toContain("UTC");
      else expect(formatLocal(reset, zone)).toMatch(/UTC|GMT/);
    }
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
