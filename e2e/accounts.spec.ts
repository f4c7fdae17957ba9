import { readFile } from "node:fs/promises";
import { expect, followMailedLink, PASSWORD, signUp, test, uniqueEmail } from "./support/fixtures";

async function signIn(page: import("@playwright/test").Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("a newcomer verifies their email through the demo outbox and the panel shows the 300 bonus", async ({ page }) => {
  const email = uniqueEmail("verify");
  await signUp(page, email, "New Comer", { verify: false });

  const notice = page.getByRole("region", { name: "Email verification" });
  await expect(notice).toContainText("Verify your email to get 300 bonus credits.");
  await expect(notice).toContainText(email);
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("100");

  // "Resend" sends a second link; either works once.
  await notice.getByRole("button", { name: "Resend" }).click();
  await expect(notice.getByRole("status")).toHaveText("Sent — check your inbox.");

  await notice.getByRole("link", { name: "open the mail outbox" }).click();
  await expect(page.getByRole("heading", { name: "Mail outbox" })).toBeVisible();
  const messages = page.getByRole("article");
  await expect(messages).toHaveCount(2);
  await expect(messages.first()).toContainText("Confirm your email address");
  await expect(messages.first()).toContainText(`To ${email}`);
  await expect(messages.first()).toContainText("300 bonus credits");
  const link = messages.first().getByRole("link", { name: /\/verify-email\// });
  const href = (await link.getAttribute("href"))!;
  await link.click();

  await expect(page.getByRole("heading", { name: "Confirm your email" })).toBeVisible();
  await expect(page.getByText(`Confirm that ${email} is your address.`)).toBeVisible();
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.waitForURL("**/settings/billing?verified=bonus");
  await expect(page.getByRole("region", { name: "Email verified" })).toContainText("300 bonus credits were added to your workspace.");
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("400");
  await expect(page.getByRole("region", { name: "Credit buckets" }).getByRole("listitem").filter({ hasText: "300 / 300" })).toContainText(
    "Bonus",
  );
  await expect(page.getByRole("region", { name: "Email verification" })).toHaveCount(0);

  // The link works once.
  await page.goto(href);
  await expect(page.getByRole("alert").filter({ hasText: "expired" })).toHaveText(
    "This confirmation link has expired or was already used.",
  );
  await page.goto("/settings/account");
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();
});

test.describe("password reset", () => {
  // The browser logs the 401 of the refused sign-in with the old password.
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test("forgot password → mail → new password → every old session signed out → sign in with the new one", async ({ page, browser }) => {
    const email = uniqueEmail("reset");
    await signUp(page, email);
    // Another device, signed in before the reset.
    const other = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "10.9.9.9" } });
    const otherPage = await other.newPage();
    await signIn(otherPage, email, PASSWORD);
    await otherPage.waitForURL("**/settings/billing");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
    await page.getByLabel("Email").fill(email.toUpperCase());
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText(`If an account exists for ${email}`);

    await followMailedLink(page, email, "/reset-password/");
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await page.getByLabel("New password", { exact: true }).fill("my new long password");
    await page.getByLabel("Repeat the new password").fill("a different password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("The two passwords differ.")).toBeVisible();
    await page.getByLabel("Repeat the new password").fill("my new long password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL("**/login?reset=1");
    await expect(page.getByRole("status")).toContainText("Your password was changed and every device signed out.");

    // The device signed in before is out.
    await otherPage.goto("/settings/billing");
    await otherPage.waitForURL(/\/login\?callbackUrl=/);
    await other.close();

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await page.getByLabel("Password").fill("my new long password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/settings/billing");
    await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("400");
  });

  test("an unknown address gets the same answer, and a used or made-up link says it has expired", async ({ page }) => {
    await page.goto("/forgot-password");
    const nobody = uniqueEmail("nobody");
    await page.getByLabel("Email").fill(nobody);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText(`If an account exists for ${nobody}, we’ve sent it a link`);
    await page.goto(`/dev/mail?to=${encodeURIComponent(nobody)}`);
    await expect(page.getByText(`No mail to ${nobody} yet.`)).toBeVisible();

    await page.goto("/reset-password/made-up-token");
    await expect(page.getByRole("alert").filter({ hasText: "expired" })).toHaveText("This reset link has expired or was already used.");
    await page.getByRole("link", { name: "Send me a new link" }).click();
    await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  });
});

test("an owner exports the workspace as JSON and the ledger as CSV from Settings → Data", async ({ page }) => {
  const email = uniqueEmail("export");
  await signUp(page, email);
  await page.request.post("/api/test/usage", { data: { email, action: "image.generate", quantity: 2 } });
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Data" }).click();
  await expect(page.getByRole("heading", { name: "Data", level: 1 })).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export workspace data (JSON)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^creditbook-export-\w+-\d{4}-\d{2}-\d{2}\.json$/);
  const doc = JSON.parse(await readFile((await download.path())!, "utf8"));
  expect(doc.format).toBe("creditbook.workspace-export.v1");
  expect(doc.members).toEqual([expect.objectContaining({ email, role: "OWNER" })]);
  expect(doc.usageEvents).toHaveLength(1);
  expect(doc.ledger.reduce((sum: number, e: { amount: number }) => sum + e.amount, 0)).toBe(390); // 400 - 2 × 5

  const csv = await page.request.get("/api/workspace/ledger.csv");
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trimEnd().split("\r\n");
  expect(lines[0]).toBe("entry_id,time_utc,kind,credits,grant_id,grant_type,usage_event_id,actor_user_id,api_client_id,reason,reference");
  expect(lines).toHaveLength(doc.ledger.length + 1);
});

test.describe("deleting an account", () => {
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test("needs the typed email, then erases the account and signs out; the old credentials no longer work", async ({ page }) => {
    const email = uniqueEmail("leaver");
    await signUp(page, email);
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Account" }).click();
    await expect(page.getByRole("heading", { name: "Delete my account" })).toBeVisible();
    const button = page.getByRole("button", { name: "Delete my account" });
    await expect(button).toBeDisabled();
    await page.getByLabel(`Type ${email} to confirm`).fill("someone@else.test");
    await expect(button).toBeDisabled();
    await page.getByLabel(`Type ${email} to confirm`).fill(email);
    await button.click();
    await page.waitForURL("**/login?deleted=1");
    await expect(page.getByRole("status")).toContainText("Your account was deleted.");

    await page.goto("/settings/billing");
    await page.waitForURL(/\/login\?callbackUrl=/);
    await signIn(page, email, PASSWORD);
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  });
});
