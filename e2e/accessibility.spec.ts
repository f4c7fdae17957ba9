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
  const email = uniqueEmail("a11y");
  await signUp(page, email);
  await page.request.post("/api/test/usage", { data: { email, action: "sonic.analysis", quantity: 3 } });
  for (const path of ["/settings/billing", "/settings/usage", "/settings/api-keys", "/settings/alerts"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await violations(page), path).toEqual([]);
  }
});

test("the billing page with auto top-up on, and after a decline (banner, history, owners' notice), has no serious violations", async ({ page }) => {
  const email = uniqueEmail("a11y-atu");
  await signUp(page, email);
  const card = page.getByRole("region", { name: "Auto top-up", exact: true });
  await card.getByRole("button", { name: "Save a card" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  await page.getByLabel("Card number").fill("4000 0000 0000 0341"); // saved; its charges are declined
  await page.getByRole("button", { name: "Save card" }).click();
  await page.waitForURL(/\/settings\/billing\?setup=success/);
  await card.getByLabel("Turn on auto top-up").check();
  await card.getByLabel("When remaining drops below (credits)").fill("300");
  await card.getByRole("button", { name: "Save auto top-up settings" }).click();
  await expect(card.getByRole("status")).toHaveText("Auto top-up is on.");
  expect(await violations(page), "auto top-up on").toEqual([]);
  await page.request.post("/api/test/usage", { data: { email, action: "aria.chat", quantity: 150 } });
  await page.request.post("/api/test/jobs", { data: { job: "auto-top-up", email } });
  await page.goto("/settings/billing");
  await expect(page.getByRole("complementary", { name: "Billing notice" })).toBeVisible();
  await expect(card.getByRole("alert")).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await violations(page), "after a decline").toEqual([]);
});
