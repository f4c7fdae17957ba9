import { describe, expect, it } from "vitest";
import { canonicalRedirect } from "@/lib/auth/canonical-host";

const demo = {
  method: "GET",
  url: "/settings/billing?checkout=success",
  host: "127.0.0.1:3000",
  publicUrl: "http://localhost:3000",
  demo: true,
};

describe("canonicalRedirect (the demo's one host name)", () => {
  it("sends a page on another loopback name of the same port to the public URL, path and query kept", () => {
    expect(canonicalRedirect(demo)).toBe("http://localhost:3000/settings/billing?checkout=success");
    expect(canonicalRedirect({ ...demo, host: "[::1]:3000", url: "/login", method: "HEAD" })).toBe("http://localhost:3000/login");
    expect(canonicalRedirect({ ...demo, host: "localhost:3000", publicUrl: "http://127.0.0.1:3000" })).toBe(
      "http://127.0.0.1:3000/settings/billing?checkout=success",
    );
  });

  it("leaves everything else alone", () => {
    expect(canonicalRedirect({ ...demo, demo: false })).toBeNull(); // production: never
    expect(canonicalRedirect({ ...demo, host: "localhost:3000" })).toBeNull(); // already there
    expect(canonicalRedirect({ ...demo, method: "POST" })).toBeNull(); // a form post keeps its body where it was sent
    expect(canonicalRedirect({ ...demo, url: "/api/v1/balance" })).toBeNull(); // API clients use any name
    expect(canonicalRedirect({ ...demo, url: "/_next/static/chunk.js" })).toBeNull();
    expect(canonicalRedirect({ ...demo, host: "127.0.0.1:3001" })).toBeNull(); // another port is another app
    expect(canonicalRedirect({ ...demo, host: "demo.example.com:3000" })).toBeNull(); // not loopback
    expect(canonicalRedirect({ ...demo, publicUrl: "https://billing.example.com" })).toBeNull();
    expect(canonicalRedirect({ ...demo, host: undefined })).toBeNull();
    expect(canonicalRedirect({ ...demo, host: "bad host/" })).toBeNull();
    expect(canonicalRedirect({ ...demo, url: "//evil.example/" })).toBe("http://localhost:3000//evil.example/"); // stays on the public origin
  });
});
