import { test, expect, signUp, uniqueEmail } from "./support/fixtures";
import { setStripeClock } from "./support/services";

// Moves the clocks: runs in the "clock" project, after every other spec (playwright.config.ts).
test.afterAll(async ({ request }) => {
  await request.post("/api/test/clock", { data: { reset: true } });
  await setStripeClock(new Date());
});

test("Free → Pro trial shows the Pro allowance at once; cancelled in the portal it ends on Free with 100 credits", async ({ page }) => {
  await signUp(page, uniqueEmail("subscriber"));
  await page.getByRole("button", { name: "Start 30-day trial of Pro" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  await expect(page.getByText(/30-day free trial/)).toBeVisible();
  await page.getByRole("button", { name: "Start trial" }).click();

  await page.waitForURL(/\/settings\/billing\?checkout=success/);
  await expect(page.getByLabel("Plan: Pro")).toBeVisible();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("5,300");
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("of your plan’s 5,000");

  await page.getByRole("button", { name: "Manage billing" }).click();
  await page.waitForURL(/\/p\/session\/bps_/);
  await page.getByRole("button", { name: "Cancel plan" }).click();
  await expect(page.getByText(/Cancels on/)).toBeVisible();
  await page.getByRole("link", { name: /Return to Creditbook/ }).click();
  await page.waitForURL(/\/settings\/billing$/);
  await expect(page.getByRole("status").filter({ hasText: /Pro cancels on/ })).toBeVisible();

  // The next 1st after the trial: both clocks move together.
  const now = new Date();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1, 0, 5));
  await page.request.post("/api/test/clock", { data: { set: next.toISOString() } });
  await setStripeClock(next);
  await expect(async () => {
    await page.reload();
    await expect(page.getByLabel("Plan: Free")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("of your plan’s 100");
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("400");
});
