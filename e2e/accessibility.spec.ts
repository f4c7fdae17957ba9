import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";

// axe-core on every page a customer sees: no serious or critical violations.
async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

test("public pages have no serious or critical accessibility violations", async ({ page }) => {
  for (const path of ["/", "/pricing", "/login", "/signup", "/docs/api"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

test("portal pages have no serious or critical accessibility violations", async ({ page }) => {
  test.slow(); // axe on six pages takes more than the default 30 s on a busy 2-core machine
  const email = uniqueEmail("a11y");
  await signUp(page, email);
  await page.request.post("/api/test/usage", { data: { email, action: "sonic.analysis", quantity: 3 } });
  for (const path of ["/settings/billing", "/settings/usage", "/settings/api-keys", "/settings/alerts", "/settings/members"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await violations(page), path).toEqual([]);
  }
});
