import { describe, expect, it } from "vitest";
import { checkedOrigins, frameAncestors, parseOrigin, parseOrigins } from "@/lib/portal-sessions/origins";
import { contrastWithWhite, parseTheme, readableAccent, themeAttributes } from "@/lib/portal-sessions/theme";
import { loggablePath } from "@/lib/log";
import { embedUrl, isCreditbookMessage } from "../../packages/client/src/embed";

describe("allowed embed origins", () => {
  it("are exactly scheme://host[:port], normalised", () => {
    expect(parseOrigin("https://App.Example.com")).toBe("https://app.example.com");
    expect(parseOrigin(" https://app.example.com/ ")).toBe("https://app.example.com");
    expect(parseOrigin("https://app.example.com:443")).toBe("https://app.example.com");
    expect(parseOrigin("http://localhost:5173")).toBe("http://localhost:5173");
    for (const bad of [
      "app.example.com",
      "https://app.example.com/billing",
      "https://app.example.com?x=1",
      "https://app.example.com#x",
      "ftp://x.test",
      "https://u:p@x.test",
      "*",
      "https://*.example.com",
      "javascript:alert(1)",
      "",
      "null",
    ]) {
      expect(parseOrigin(bad), bad).toBeNull();
    }
  });

  it("parse from a typed list (commas, spaces, lines), without duplicates, naming what is wrong", () => {
    expect(parseOrigins("https://a.test, https://b.test\nhttps://A.test  not-an-origin")).toEqual({
      origins: ["https://a.test", "https://b.test"],
      invalid: ["not-an-origin"],
    });
    expect(() => checkedOrigins(["https://a.test/path"])).toThrow(/Not an origin/);
    expect(() => checkedOrigins(Array.from({ length: 11 }, (_, i) => `https://a${i}.test`))).toThrow(/At most 10/);
    expect(checkedOrigins("")).toEqual([]);
  });

  it("become the CSP's frame-ancestors, or 'none'", () => {
    expect(frameAncestors(["https://a.test", "http://localhost:3000"])).toBe("frame-ancestors https://a.test http://localhost:3000");
    expect(frameAncestors([])).toBe("frame-ancestors 'none'");
    // Whatever is stored, only origins reach the header (no directive can be smuggled in).
    expect(frameAncestors(["https://a.test; script-src *"])).toBe("frame-ancestors 'none'");
  });
});

describe("the billing page's theme", () => {
  it("reads light/dark, a 6-digit accent and compact from the link's query; ignores anything else", () => {
    expect(parseTheme({})).toEqual({ mode: "light", accent: null, compact: false });
    expect(parseTheme({ theme: "dark", accent: "0F766E", compact: "1" })).toEqual({ mode: "dark", accent: "#0f766e", compact: true });
    expect(parseTheme({ accent: "#0f766e" }).accent).toBe("#0f766e");
    expect(parseTheme({ theme: "neon", accent: "red;background:url(x)", compact: "yes" })).toEqual({
      mode: "light",
      accent: null,
      compact: false,
    });
    expect(themeAttributes(parseTheme({ theme: "dark", accent: "0f766e" }))).toEqual({
      className: "portal-dark portal-accent",
      style: { "--portal-accent": "#0f766e" },
    });
  });

  it("darkens an accent just enough for white button text to read (4.5:1), keeping dark ones as they are", () => {
    expect(readableAccent("#4f46e5")).toBe("#4f46e5");
    for (const accent of ["#0d9488", "#f59e0b", "#ffffff", "#22c55e", "#ff00ff"]) {
      const readable = readableAccent(accent);
      expect(contrastWithWhite(readable), accent).toBeGreaterThanOrEqual(4.5);
      expect(contrastWithWhite(readableAccent(accent)), accent).toBeLessThan(5.2);
    }
  });
});

describe("the request log", () => {
  it("never writes a billing link's token", () => {
    expect(loggablePath("/embed/Zk3abcdefghijklmnopqrstuvwxyz0123456789ABCD")).toBe("/embed/[token]");
    expect(loggablePath("/portal/Zk3abcdefghijklmnopqrstuvwxyz0123456789ABCD")).toBe("/portal/[token]");
    expect(loggablePath("/portal/return")).toBe("/portal/return");
    expect(loggablePath("/settings/billing")).toBe("/settings/billing");
  });
});

describe("the client's embed helpers", () => {
  it("embedUrl turns a session URL into its /embed/ address with the theme", () => {
    expect(embedUrl("https://credits.example.com/portal/abc")).toBe("https://credits.example.com/embed/abc");
    expect(embedUrl("https://credits.example.com/embed/abc", { mode: "dark", accent: "#0f766e", compact: true })).toBe(
      "https://credits.example.com/embed/abc?theme=dark&accent=0f766e&compact=1",
    );
  });

  it("isCreditbookMessage accepts the panel's messages only", () => {
    expect(isCreditbookMessage({ source: "creditbook", type: "resize", height: 10 })).toBe(true);
    expect(isCreditbookMessage({ type: "resize", height: 10 })).toBe(false);
    expect(isCreditbookMessage("creditbook")).toBe(false);
    expect(isCreditbookMessage(null)).toBe(false);
  });
});
