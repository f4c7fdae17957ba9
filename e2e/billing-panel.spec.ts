import type { Page } from "@playwright/test";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { captureStep } from "./support/journey";
import { sql } from "./support/services";
import { forecast } from "../lib/usage/forecast";

// The panel's figures against the ledger, in the states that matter to a customer.
async function spend(page: Page, email: string, action: string, quantity = 1) {
  const res = await page.request.post("/api/test/usage", { data: { email, action, quantity } });
  expect(res.status()).toBe(200);
}

async function ledgerRemaining(email: string): Promise<number> {
  const [row] = await sql<{ remaining: string }>(
    `SELECT coalesce(sum(g.remaining), 0) AS remaining FROM "CreditGrant" g
       JOIN "Membership" m ON m."workspaceId" = g."workspaceId" JOIN "User" u ON u.id = m."userId"
      WHERE u.email = $1 AND (g."expiresAt" IS NULL OR g."expiresAt" > now())`,
    [email],
  );
  return Number(row!.remaining);
}

test("a debit through the metering API shows on the open panel within 5 seconds, without a reload", async ({ page }) => {
  await signUp(page, uniqueEmail("live"));
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill("Live test");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel("New API key").inputValue();
  await page.getByRole("link", { name: "Billing" }).click();
  const remaining = page.getByRole("group", { name: "Credits remaining" });
  await expect(remaining).toContainText("400");

  const tracked = await page.request.post("/api/v1/track", {
    headers: { Authorization: `Bearer ${secret}` },
    data: { action: "video.generate" },
  });
  expect(tracked.status()).toBe(201);
  await expect(remaining).toContainText("380", { timeout: 5_000 });
  await expect(
    page
      .getByRole("row", { name: /Video generation/ })
      .getByRole("cell")
      .last(),
  ).toHaveText("20", { timeout: 5_000 });
});

test("above 80% of the allowance the panel names the next tier; the figures equal the ledger", async ({ page }) => {
  const email = uniqueEmail("heavy");
  await signUp(page, email);
  await spend(page, email, "video.generate", 4); // 80
  await spend(page, email, "sonic.analysis"); // 85 of Free's 100
  await page.reload();
  // One banner: the 80 % alert, carrying the upgrade offer (not a second banner saying the same).
  const prompt = page.getByRole("status", { name: /^You’ve used over 80% of your Free allowance this period \(85 of 100 credits\)/ });
  await expect(prompt).toBeVisible();
  await expect(prompt.getByRole("link", { name: "Upgrade to Starter: 1,000 credits a month for $9.99" })).toHaveAttribute("href", "#plans");
  await expect(page.getByRole("status").filter({ hasText: /of your Free allowance/ })).toHaveCount(1);
  // Dismissed, the offer goes with it for the rest of the period.
  await prompt.getByRole("button", { name: "Dismiss the 80% usage alert" }).click();
  await expect(page.getByRole("status").filter({ hasText: /of your Free allowance/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: /of your Free allowance/ })).toHaveCount(0);
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText(String(await ledgerRemaining(email)));
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("85");
  // The forecast of 85 credits at this point of the month (the same pure function the panel uses).
  const now = new Date((await (await page.request.get("/api/test/clock")).json()).now);
  const expected = forecast({
    used: 85,
    remaining: 315,
    periodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
    periodEnd: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
    asOf: now.toISOString(),
  });
  if (expected) {
    await expect(page.getByLabel("Forecast")).toContainText(`about ${expected.projectedUse.toLocaleString("en-US")} credits by the reset`);
    await expect(page.getByLabel("Forecast")).toContainText(expected.runsOutAt ? "run out on" : "by the reset.");
  } else {
    await expect(page.getByLabel("Forecast")).toHaveCount(0);
  }
});

test("spending into bonus credits keeps every N of M coherent: the allowance at 100 %, the rest shown apart", async ({
  page,
}, testInfo) => {
  const email = uniqueEmail("into-bonus");
  await signUp(page, email); // Free: 100 allowance + 300 bonus
  await spend(page, email, "video.generate", 6); // 120: all 100 of the allowance, then 20 of the bonus
  await page.reload();
  const used = page.getByRole("group", { name: "Used this period" });
  await expect(used).toContainText("120");
  await expect(used).toContainText("100 of your plan’s 100 + 20 bonus or purchased");
  const bar = page.getByRole("progressbar", { name: "Monthly allowance used" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(bar).toHaveAttribute("aria-valuemax", "100");
  await expect(page.getByText("100 / 100 used")).toBeVisible();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText(String(await ledgerRemaining(email)));
  // No figure claims more of the allowance than there is.
  const text = (await page.locator("main").innerText()).replace(/\s+/g, " ");
  expect(text).not.toMatch(/over 100|1(0[1-9]|[1-9][0-9])% of|120 of 100|120 \/ 100/);
  const api = await (await page.request.get("/api/workspace/balance")).json();
  expect([api.used, api.allowanceUsed, api.beyondPlan]).toEqual([120, 100, 20]);
  await captureStep(page, testInfo, "into-bonus");
});

test("out of credits: a banner says what still works and how to refill", async ({ page }) => {
  const email = uniqueEmail("empty");
  await signUp(page, email);
  await spend(page, email, "video.generate", 20); // all 400
  await page.reload();
  const banner = page.getByRole("alert").filter({ hasText: "You’re out of credits." });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Your data is never affected");
  await expect(banner.getByRole("link", { name: "Buy a credit pack" })).toHaveAttribute("href", "#packs");
  // The out-of-credits banner stands for the 100 % alert: no second banner saying the same.
  await expect(page.getByRole("status").filter({ hasText: /allowance/ })).toHaveCount(0);
  expect(await ledgerRemaining(email)).toBe(0);
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("0");
  await expect(page.getByLabel("Forecast")).toContainText("Your credits have run out");
  await expect(page.getByLabel("Forecast")).not.toContainText("run out on");
});

test("enterprise is unlimited: no prompt, no allowance bar", async ({ page }) => {
  const email = uniqueEmail("enterprise");
  await signUp(page, email);
  await sql(
    `UPDATE "Workspace" w SET "planId" = 'enterprise' FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."workspaceId" = w.id AND u.email = $1`,
    [email],
  );
  await spend(page, email, "video.generate", 50);
  await page.reload();
  await expect(page.getByRole("region", { name: "Plan: Enterprise" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("Unlimited");
  await expect(page.getByRole("progressbar", { name: "Monthly allowance used" })).toHaveCount(0);
  await expect(page.getByText(/You’ve used \d+%/)).toHaveCount(0);
  await expect(
    page
      .getByRole("row", { name: /Video generation/ })
      .getByRole("cell")
      .last(),
  ).toHaveText("1,000");
});
