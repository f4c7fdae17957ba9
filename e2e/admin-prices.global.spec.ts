import type { Page } from "@playwright/test";
import { ADMIN, expect, signIn, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

// Changes the price of image.generate, which every workspace pays: runs in the "global" project, after
// every other spec and after the clock specs (playwright.config.ts), and puts the price back to 5
// credits as a new version.

async function latestVersion(): Promise<{ version: number; credits: number }> {
  const [row] = await sql<{ version: number; credits: number }>(
    `SELECT version, credits FROM "ActionPrice" WHERE "actionKey" = 'image.generate' ORDER BY version DESC LIMIT 1`,
  );
  return row!;
}

async function spend(page: Page, email: string): Promise<number> {
  const res = await page.request.post("/api/test/usage", { data: { email, action: "image.generate" } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { credits: number }).credits;
}

async function changePrice(page: Page, credits: string, reason: string | null) {
  await page.goto("/admin/prices");
  await page.getByRole("link", { name: "Edit image.generate" }).click();
  const form = page.getByRole("form", { name: "New price for image.generate" });
  await form.getByLabel("Credits per action").fill(credits);
  if (reason !== null) await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: /^Save as version \d+$/ }).click();
  return form;
}

// A safety net should the test fail half-way: the next specs expect image.generate at 5 credits.
test.afterAll(async () => {
  const latest = await latestVersion();
  if (latest.credits !== 5) {
    await sql(
      `INSERT INTO "ActionPrice" (id, "actionKey", version, name, category, credits, "reserveCredits", provider, sync, policy, active, "effectiveFrom", reason)
       SELECT 'e2e-restore-' || version, "actionKey", version + 1, name, category, 5, "reserveCredits", provider, sync, policy, active, now() at time zone 'utc', 'e2e: restore after a failed run'
         FROM "ActionPrice" WHERE "actionKey" = 'image.generate' ORDER BY version DESC LIMIT 1`,
    );
  }
});

test("the operator changes image.generate from 5 to 6 credits: the next debit costs 6, the earlier one keeps 5 at its version", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("priced");
  const customer = await browser.newPage();
  await signUp(customer, email, "Price Watcher");
  await customer.close();

  const before = await latestVersion();
  expect(before.credits).toBe(5);
  expect(await spend(page, email)).toBe(5);

  await signIn(page, ADMIN);
  await page.goto("/admin/prices");
  await expect(
    page
      .getByRole("row", { name: /image\.generate/ })
      .getByRole("cell")
      .first(),
  ).toHaveText("5");

  // The reason is required.
  let form = await changePrice(page, "6", null);
  await expect(form.getByRole("alert")).toHaveText("Say why the price changes.");
  expect((await latestVersion()).version).toBe(before.version);

  await form.getByLabel("Reason").fill("Image provider raised its price");
  await form.getByRole("button", { name: `Save as version ${before.version + 1}` }).click();
  await expect(form.getByRole("status")).toHaveText(`Saved version ${before.version + 1}: 6 credits, effective immediately.`);
  await expect(form.getByRole("button", { name: `Save as version ${before.version + 2}` })).toBeVisible();
  const history = page.getByRole("region", { name: "Version history", exact: true });
  await expect(history.getByRole("row", { name: new RegExp(`^v${before.version + 1}\\b`) })).toContainText("In force");
  await expect(history.getByRole("row", { name: new RegExp(`^v${before.version + 1}\\b`) })).toContainText(
    "Image provider raised its price",
  );
  await expect(history.getByRole("row", { name: new RegExp(`^v${before.version + 1}\\b`) })).toContainText(ADMIN.email);
  await expect(history.getByRole("row", { name: new RegExp(`^v${before.version}\\b`) })).toContainText("Past");

  expect(await spend(page, email)).toBe(6);

  // The workspace's ledger: each debit names the version it was charged at.
  await page.goto(`/admin/workspaces?q=${encodeURIComponent(email)}`);
  await page.getByRole("link", { name: "Price Watcher's workspace" }).click();
  const ledger = page.getByRole("region", { name: "Recent ledger entries", exact: true });
  await expect(ledger.getByRole("row").filter({ hasText: `image.generate · v${before.version + 1}` })).toContainText("−6");
  await expect(ledger.getByRole("row").filter({ hasText: `image.generate · v${before.version}` })).toContainText("−5");
  const events = await sql<{ credits: number; version: number }>(
    `SELECT e.credits, p.version FROM "UsageEvent" e JOIN "ActionPrice" p ON p.id = e."priceId"
      JOIN "Membership" m ON m."workspaceId" = e."workspaceId" JOIN "User" u ON u.id = m."userId"
     WHERE u.email = $1 ORDER BY e."createdAt"`,
    [email],
  );
  expect(events).toEqual([
    { credits: 5, version: before.version },
    { credits: 6, version: before.version + 1 },
  ]);

  // The audit log has the change with before and after.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  const audit = page.getByRole("row").filter({ hasText: "Image provider raised its price" });
  await expect(audit).toContainText("Price change");
  await expect(audit).toContainText(ADMIN.email);
  await expect(audit).toContainText("credits: 5 → 6");

  // Back to 5, as a new version.
  form = await changePrice(page, "5", "e2e: restore the seeded price");
  await expect(form.getByRole("status")).toHaveText(`Saved version ${before.version + 2}: 5 credits, effective immediately.`);
  expect(await latestVersion()).toEqual({ version: before.version + 2, credits: 5 });
  expect(await spend(page, email)).toBe(5);
});
