import { describe, expect, it } from "vitest";
import { safeRedirectPath, sameOriginRedirect } from "@/lib/auth/redirects";
import { nextAuthBadCallback } from "@/lib/auth/nextauth-route";

// Each of these leaves the origin in some browser or after one more decoding step.
const HOSTILE = [
  "/\\evil.example/",
  "/\\/evil.example",
  "\\\\evil.example",
  "//evil.example",
  "///evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  " /evil",
  "/%2F%2Fevil.example",
  "/%2fevil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "/%09/evil.example",
  "/%0d%0aSet-Cookie:x=1",
  "http://evil.example/",
  "https:evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "",
  `/${"a".repeat(3000)}`,
];

describe("safeRedirectPath", () => {
  it("refuses every target that could leave the origin", () => {
    for (const value of HOSTILE) expect(safeRedirectPath(value), JSON.stringify(value)).toBe("/settings/billing");
    expect(safeRedirectPath(undefined)).toBe("/settings/billing");
    expect(safeRedirectPath(["/a"])).toBe("/settings/billing");
  });

  it("keeps paths of this app, with their query and fragment", () => {
    for (const value of [
      "/settings/usage",
      "/invite/abc_DEF-123",
      "/settings/usage?action=aria.chat&from=2026-01-01",
      "/docs/api#track",
      "/settings/usage?q=a%20b%2Fc",
    ]) {
      expect(safeRedirectPath(value)).toBe(value);
    }
    // Dot segments are resolved, and cannot climb out.
    expect(safeRedirectPath("/a/../../settings/billing")).toBe("/settings/billing");
    expect(safeRedirectPath("/./settings/members")).toBe("/settings/members");
  });

  it("uses the given fallback", () => {
    expect(safeRedirectPath("//evil.example", "")).toBe("");
    expect(safeRedirectPath("//evil.example", "/login")).toBe("/login");
  });
});

describe("sameOriginRedirect (next-auth's redirect callback)", () => {
  const base = "http://localhost:3000";
  it("keeps same-origin URLs and paths, sends everything else to the base", () => {
    expect(sameOriginRedirect("/settings/usage", base)).toBe(`${base}/settings/usage`);
    expect(sameOriginRedirect(`${base}/settings/members?x=1`, base)).toBe(`${base}/settings/members?x=1`);
    expect(sameOriginRedirect("http://localhost:3000.evil.example/", base)).toBe(base);
    expect(sameOriginRedirect("http://evil.example/", base)).toBe(base);
    expect(sameOriginRedirect("http://localhost:3000@evil.example/", base)).toBe(base);
    expect(sameOriginRedirect(`${base}/\\evil.example`, base)).toBe(`${base}/`);
    expect(sameOriginRedirect("/\\evil.example/", base)).toBe(`${base}/`);
    expect(sameOriginRedirect("not a url", base)).toBe(base);
  });
});

describe("nextAuthBadCallback", () => {
  const form = (body: Record<string, string>) =>
    new Request("http://localhost:3000/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body).toString(),
    });

  it("answers 400 for a callbackUrl next-auth cannot parse (it threw: a 500)", async () => {
    const refusal = await nextAuthBadCallback(form({ email: "a@b.c", callbackUrl: "http://localhost:3000.evil.example/" }));
    expect(refusal?.status).toBe(400);
    expect(refusal?.code).toBe("invalid_request");
    const query = await nextAuthBadCallback(new Request("http://localhost:3000/api/auth/signin?callbackUrl=http%3A%2F%2Fa%3Ab%3Ac"));
    expect(query?.status).toBe(400);
  });

  it("lets paths and parseable URLs through (the redirect callback keeps them on the origin), and leaves the body readable", async () => {
    const req = form({ callbackUrl: "http://127.0.0.1:3000/login", csrfToken: "t" });
    expect(await nextAuthBadCallback(req)).toBeNull();
    expect(await req.text()).toContain("csrfToken=t");
    expect(await nextAuthBadCallback(form({ callbackUrl: "/settings/billing" }))).toBeNull();
    expect(await nextAuthBadCallback(new Request("http://localhost:3000/api/auth/session"))).toBeNull();
  });
});
