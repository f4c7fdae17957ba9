import { expect, test } from "./support/fixtures";

test.describe("unknown routes", () => {
  test.use({ allowedConsoleErrors: [/404/] });

  test("show a proper 404 page", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go home" })).toBeVisible();
  });
});

test("pages carry security headers and a nonce-based CSP", async ({ page }) => {
  const response = await page.goto("/login");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
});

test("state-changing requests from another origin are refused", async ({ request }) => {
  const res = await request.post("/api/auth/callback/credentials", {
    headers: { Origin: "https://evil.example" },
    form: { email: "demo@creditbook.dev", password: "creditbook-demo" },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});

test("the health check reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: "up" });
});

test("the API reference lists every endpoint and links the OpenAPI document", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Metering API", level: 1 })).toBeVisible();
  // Each example with curl and with the typed client beside it.
  const examples = page.getByRole("region", { name: "Examples" });
  await expect(examples.getByRole("figure", { name: "curl" }).first()).toContainText("curl -X POST");
  await expect(examples.getByRole("figure", { name: "TypeScript client" }).first()).toContainText("credits.track({");
  await expect(examples.getByRole("figure", { name: "Client setup (TypeScript)" })).toContainText('from "@creditbook/client"');
  for (const path of ["/api/v1/track", "/api/v1/reservations/{id}/commit", "/api/v1/usage"]) {
    await expect(page.getByRole("cell", { name: new RegExp(path.replace(/[{}/]/g, "\\$&")) }).first()).toBeVisible();
  }
  const openapi = await page.request.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  expect((await openapi.json()).openapi).toBe("3.1.0");
});
