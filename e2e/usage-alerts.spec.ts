import type { Page } from "@playwright/test";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

// Usage alerts: the owner's settings, the notice on Billing when usage crosses a threshold, dismissal.
async function spend(page: Page, email: string, action: string, quantity = 1) {
  const res = await page.request.post("/api/test/usage", { data: { email, action, quantity } });
  expect(res.status()).toBe(200);
}

/** "Resets Dec 1." — the app's current period ends on the 1st of next month (UTC). */
async function resetText(page: Page): Promise<string> {
  const now = new Date((await (await page.request.get("/api/test/clock")).json()).now);
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return `Resets ${end.toLocaleString("en-US", { timeZone: "UTC", month: "short", day: "numeric" })}.`;
}

test("an owner picks thresholds; crossing one shows a notice on Billing until it is dismissed", async ({ page }) => {
  const email = uniqueEmail("alerts");
  await signUp(page, email); // Free: 100 credits a month (and the 300 sign-up bonus)
  const nav = page.getByRole("navigation", { name: "Settings" });
  await expect(nav.getByRole("link", { name: "Alerts" })).toBeVisible();
  await nav.getByRole("link", { name: "Alerts" }).click();
  await expect(page.getByRole("heading", { name: "Usage alerts", level: 1 })).toBeVisible();

  // Defaults: 80 and 100 %.
  const thresholds = page.getByRole("group", { name: "Alert me when this period’s usage reaches" });
  const box = (name: RegExp) => thresholds.getByRole("checkbox", { name });
  await expect(box(/^50%/)).not.toBeChecked();
  await expect(box(/^80%/)).toBeChecked();
  await expect(box(/^100%/)).toBeChecked();
  await expect(box(/^None/)).not.toBeChecked();
  await expect(box(/^80%/)).toHaveAccessibleName("80% 80 credits");

  // Validation: at least one choice; https (or localhost while testing).
  await box(/^80%/).uncheck();
  await box(/^100%/).uncheck();
  const save = page.getByRole("button", { name: "Save alert settings" });
  await save.click();
  await expect(page.getByText("Choose at least one threshold, or “None” for no alerts.")).toBeVisible();
  await box(/^50%/).check();
  await box(/^80%/).check();
  const hook = page.getByLabel("Alert webhook URL (optional)");
  await hook.fill("http://hooks.example.com/creditbook");
  await save.click();
  await expect(hook).toHaveAccessibleDescription("Use https:// (http:// only for localhost while developing).");
  await expect(page.getByLabel("Signing secret")).toHaveCount(0);
  await hook.fill("https://hooks.example.com/creditbook");
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Alert settings saved." })).toBeVisible();
  await expect(page.getByLabel("Signing secret")).toHaveValue(/^whsec_/);

  await page.reload();
  await expect(box(/^50%/)).toBeChecked();
  await expect(box(/^80%/)).toBeChecked();
  await expect(box(/^100%/)).not.toBeChecked();
  await expect(hook).toHaveValue("https://hooks.example.com/creditbook");

  // 85 of the 100 credits in one debit: past 50 % and 80 %.
  await spend(page, email, "sonic.analysis", 17);

  // Elsewhere in the portal (on load, then every minute), the Billing tab carries a dot.
  await page.goto("/settings/api-keys");
  await expect(nav.getByRole("link", { name: /^Billing/ })).toHaveAccessibleName("Billing (usage alert)");

  await nav.getByRole("link", { name: /^Billing/ }).click();
  const notice = page.getByRole("status", { name: /^You’ve used over 80% of your Free allowance/ });
  await expect(notice).toHaveAccessibleName(
    `You’ve used over 80% of your Free allowance this period (85 of 100 credits). ${await resetText(page)}`,
  );
  await expect(notice.getByRole("link", { name: "Alert settings" })).toHaveAttribute("href", "/settings/alerts");
  // One notice: the highest threshold crossed stands for the lower ones.
  await expect(page.getByRole("status", { name: /of your Free allowance this period/ })).toHaveCount(1);

  await notice.getByRole("button", { name: "Dismiss the 80% usage alert" }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("85");
  await expect(page.getByRole("status", { name: /of your Free allowance this period/ })).toHaveCount(0);

  // The dot is gone too, and the settings page lists both alerts as dismissed.
  await nav.getByRole("link", { name: "Alerts" }).click();
  await expect(nav.getByRole("link", { name: /^Billing/ })).toHaveAccessibleName("Billing");
  const recent = page.getByRole("region", { name: "Recent alerts" }).getByRole("listitem");
  await expect(recent).toHaveCount(2);
  await expect(recent.nth(0)).toContainText("80% of Free");
  await expect(recent.nth(1)).toContainText("50% of Free");
  for (const item of await recent.all()) await expect(item).toContainText("Dismissed");
});

test("members see the settings read-only and may dismiss the notice for the workspace", async ({ page, browser }) => {
  const ownerEmail = uniqueEmail("alerts-owner");
  await signUp(page, ownerEmail);
  await spend(page, ownerEmail, "video.generate", 5); // 100 of 100: the default 80 and 100 %
  await page.reload();
  const ownerNotice = page.getByRole("status", { name: /^You’ve used 100% of your Free allowance this period \(100 of 100 credits\)/ });
  await expect(ownerNotice).toBeVisible();

  // A second user made a member (not owner) of the owner's workspace, acting in it.
  const context = await browser.newContext();
  const member = await context.newPage();
  const memberEmail = uniqueEmail("alerts-member");
  await signUp(member, memberEmail);
  const [row] = await sql<{ workspaceId: string; userId: string }>(
    `SELECT m."workspaceId", (SELECT id FROM "User" WHERE email = $2) AS "userId"
       FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [ownerEmail, memberEmail],
  );
  await sql(`INSERT INTO "Membership" (id, "userId", "workspaceId", role) VALUES ($1, $2, $3, 'MEMBER')`, [
    `e2e-alerts-${Date.now()}`,
    row!.userId,
    row!.workspaceId,
  ]);
  await context.addCookies([{ name: "cb_workspace", value: row!.workspaceId, domain: new URL(member.url()).hostname, path: "/" }]);

  await member.goto("/settings/alerts");
  await expect(member.getByText("Only workspace owners can change alerts.")).toBeVisible();
  const thresholds = member.getByRole("group", { name: "Alert me when this period’s usage reaches" });
  await expect(thresholds.getByRole("checkbox", { name: /^80%/ })).toBeChecked();
  await expect(thresholds.getByRole("checkbox", { name: /^80%/ })).toBeDisabled();
  await expect(member.getByLabel("Alert webhook URL (optional)")).toBeDisabled();
  await expect(member.getByRole("button", { name: "Save alert settings" })).toHaveCount(0);

  await member.goto("/settings/billing");
  const memberNotice = member.getByRole("status", { name: /^You’ve used 100% of your Free allowance/ });
  await memberNotice.getByRole("button", { name: "Dismiss the 100% usage alert" }).click();
  await expect(memberNotice).toHaveCount(0);
  await member.reload();
  await expect(member.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(member.getByRole("status", { name: /of your Free allowance this period/ })).toHaveCount(0);
  await context.close();

  // Dismissed for the whole workspace.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByRole("status", { name: /of your Free allowance this period/ })).toHaveCount(0);
});
