import { test, expect, signUp, uniqueEmail } from "./support/fixtures";
import { setStripeClock } from "./support/services";
import { captureStep } from "./support/journey";
import { violations } from "./support/axe";

// Moves the clocks: runs in the "clock" project, after every other spec (playwright.config.ts).
test.afterAll(async ({ request }) => {
  await request.post("/api/test/clock", { data: { reset: true } });
  await setStripeClock(new Date());
});

const day = (iso: Date) =>
  new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(iso);

/** The app's clock now (the test clock, which earlier tests of this project may have moved). */
async function appClock(page: import("@playwright/test").Page): Promise<Date> {
  return new Date(((await (await page.request.get("/api/test/clock")).json()) as { now: string }).now);
}

/** A new owner starts the Pro trial on the hosted Checkout and comes back to Billing; returns the app's clock at sign-up. */
async function newOwnerStartsTrial(page: import("@playwright/test").Page, tag: string): Promise<Date> {
  await signUp(page, uniqueEmail(tag));
  const clock = await appClock(page);
  await page.getByRole("button", { name: "Start 30-day trial of Pro" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  await page.getByRole("button", { name: "Start trial" }).click();
  await page.waitForURL(/\/settings\/billing/);
  return clock;
}

async function moveClocks(page: import("@playwright/test").Page, to: Date) {
  await page.request.post("/api/test/clock", { data: { set: to.toISOString() } });
  await setStripeClock(to);
}

test("a trial shows its end date and “$29 on <date>” at once; past the trial it is charged and active", async ({ page }, testInfo) => {
  const clock = await newOwnerStartsTrial(page, "trialist");

  // Back from Checkout: the trial and what comes next, without a reload.
  await expect(page.getByRole("status").filter({ hasText: "Your Pro trial has started. Nothing was charged today." })).toBeVisible();
  const plan = page.getByRole("region", { name: "Plan: Pro" });
  await expect(plan.getByLabel("Plan status: Trial")).toBeVisible();
  const trialEnd = day(new Date(clock.getTime() + 30 * 86_400_000));
  await expect(plan).toContainText(`Free trial until ${trialEnd}`);
  await expect(plan).toContainText(`$29 on ${trialEnd}`);
  await expect(page.getByRole("region", { name: "Plans" }).getByRole("button", { name: /trial/ })).toHaveCount(0);
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("5,300");
  await captureStep(page, testInfo, "trial-started");
  expect(await violations(page), "a trial, back from Checkout").toEqual([]);

  // Past the trial: Stripe charges $29 and the plan is active.
  await moveClocks(page, new Date(clock.getTime() + 30 * 86_400_000 + 3_600_000));
  await expect(async () => {
    await page.goto("/settings/billing");
    await expect(plan.getByLabel("Plan status: Active")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(plan).toContainText("for $29");
  const invoices = page.getByRole("region", { name: /Invoices/ });
  await expect(invoices.getByRole("row").filter({ hasText: "$29.00" }).filter({ hasText: "Paid" })).toBeVisible();
  await captureStep(page, testInfo, "trial-charged");
});

test("a trial cancelled in the portal shows its end, can be kept, and once cancelled ends on Free with 100 credits", async ({ page }) => {
  const clock = await newOwnerStartsTrial(page, "subscriber");
  const plan = page.getByRole("region", { name: "Plan: Pro" });
  await expect(plan.getByLabel("Plan status: Trial")).toBeVisible();
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("of your plan’s 5,000");

  const cancelInPortal = async () => {
    await page.getByRole("button", { name: "Manage billing" }).click();
    await page.waitForURL(/\/p\/session\/bps_/);
    await page.getByRole("button", { name: "Cancel plan" }).click();
    await expect(page.getByText(/Cancels on/)).toBeVisible();
    await page.getByRole("link", { name: /Return to Creditbook/ }).click();
    await page.waitForURL(/\/settings\/billing\?from=billing-portal$/);
    await expect(plan.getByLabel("Plan status: Cancelling")).toBeVisible();
    await expect(plan).toContainText(/Your trial ends on .* and nothing is charged/);
  };
  await cancelInPortal();
  await plan.getByRole("button", { name: "Keep Pro" }).click();
  await expect(plan.getByLabel("Plan status: Trial")).toBeVisible();
  await cancelInPortal();

  // The first 1st after the trial's end: both clocks move together (an earlier test may have moved them).
  const trialEnd = new Date(clock.getTime() + 30 * 86_400_000);
  await moveClocks(page, new Date(Date.UTC(trialEnd.getUTCFullYear(), trialEnd.getUTCMonth() + 1, 1, 0, 5)));
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "Plan: Free" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("of your plan’s 100");
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("400");
});
