import { expect, test } from "./support/fixtures";
import { formatShippedJs, shippedJs } from "./support/shipped-js";

/**
 * The JavaScript budget (docs/performance.md, "Budget"): what /pricing and the signed-in Billing page
 * ship on load — every script the served HTML lists; charts, dialogs and error pages loaded on demand
 * are not counted — must stay under these bytes. Today's figures plus ~5 %; when a change needs more,
 * raise the number here and in docs/performance.md, with the reason.
 */
const BUDGET = {
  "/pricing": { raw: 520_000, gzip: 157_000 },
  "/settings/billing": { raw: 598_000, gzip: 181_000 },
} as const;

for (const [path, budget] of Object.entries(BUDGET)) {
  test(`${path} ships at most ${budget.raw} bytes of JavaScript on load (${budget.gzip} gzipped)`, async ({ page }) => {
    if (path !== "/pricing") {
      const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const signedIn = await page.request.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: "demo@creditbook.dev", password: "creditbook-demo", json: "true" },
      });
      expect(signedIn.ok(), "signing in as the demo owner").toBe(true);
    }
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    const js = await shippedJs(await res!.text(), async (src) => {
      const script = await page.request.get(src);
      expect(script.ok(), src).toBe(true);
      return new Uint8Array(await script.body());
    });
    console.log(formatShippedJs(path, js));
    expect(js.files.length, "scripts listed in the HTML").toBeGreaterThan(0);
    expect(js.total.raw, `${path}: raw bytes of JavaScript`).toBeLessThanOrEqual(budget.raw);
    expect(js.total.gzip, `${path}: gzipped bytes of JavaScript`).toBeLessThanOrEqual(budget.gzip);
  });
}
