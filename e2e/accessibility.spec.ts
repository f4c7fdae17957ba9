import { randomUUID } from "node:crypto";
import { ADMIN, expect, signIn, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";
import { violations } from "./support/axe";

// axe-core on every page a customer sees: no serious or critical violations. Each axe run takes a few
// seconds on a busy 2-core machine, so these tests get twice the usual time.
test.describe.configure({ timeout: 60_000 });

test("public pages have no serious or critical accessibility violations", async ({ page }) => {
  for (const path of ["/", "/pricing", "/login", "/signup", "/docs/api", "/contact-sales?plan=enterprise&from=pricing"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

test("the Contact sales form with field errors, and its confirmation, have no serious or critical violations", async ({ page }) => {
  await page.goto("/contact-sales?plan=enterprise&from=pricing");
  await page.getByRole("button", { name: "Send to sales" }).click();
  await expect(page.getByRole("form", { name: "Contact sales" }).getByRole("alert")).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveAttribute("aria-invalid", "true");
  expect(await violations(page), "with field errors").toEqual([]);
  await page.getByLabel("Your name").fill("Axe Checker");
  await page.getByLabel("Work email").fill(uniqueEmail("a11y-lead"));
  await page.getByLabel("Company").fill("Accessible Audio Ltd");
  await page.getByLabel("How can we help?").fill("Checking the confirmation for accessibility.");
  await page.getByRole("button", { name: "Send to sales" }).click();
  await expect(page.getByRole("status")).toContainText("within one business day");
  expect(await violations(page), "confirmation").toEqual([]);
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

test("account pages before sign-in (reset and verification links, the reset notice) have no serious or critical violations", async ({
  page,
}) => {
  for (const path of ["/forgot-password", "/reset-password/expired-or-unknown", "/verify-email/expired-or-unknown", "/login?reset=1"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

test("account pages of a new, unverified user (notice, outbox, verification, Data, Account) have no serious or critical violations", async ({
  page,
}) => {
  const email = uniqueEmail("a11y-new");
  await signUp(page, email, "Not Yet Verified", { verify: false });
  expect(await violations(page), "billing with the verification notice").toEqual([]);
  for (const path of ["/settings/data", "/settings/account"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
  await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
  expect(await violations(page), "/dev/mail with a message").toEqual([]);
  await page
    .getByRole("link", { name: /\/verify-email\// })
    .first()
    .click();
  await page.waitForURL("**/verify-email/**");
  expect(await violations(page), "/verify-email/[token]").toEqual([]);
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.waitForURL("**/settings/billing?verified=bonus");
  // The action's redirect is a client-side navigation: the URL changes before the new page's <title> is in.
  await expect(page).toHaveTitle("Billing · Creditbook");
  expect(await violations(page), "billing with the verified notice").toEqual([]);
});

test("operator console pages have no serious or critical accessibility violations", async ({ page }) => {
  test.slow(); // axe on ten pages takes more than 60 s on a busy 2-core machine
  // One x402 payment that settled but was not recorded, so /admin/x402 shows its resolve form too.
  const hex = () => randomUUID().replace(/-/g, "");
  await sql(
    `INSERT INTO "X402Payment" (id, purpose, network, asset, payer, "payTo", nonce, amount, credits, "actionKey", "transaction")
     VALUES ($1, 'USAGE', 'eip155:84532', '0x036cbd53842c5426634e7929541ec2318f3dcf7e', $2, '0x00000000000000000000000000000000000b0b02', $3, 50000, 5, 'royalty.parse', $4)`,
    [randomUUID(), `0x${hex().slice(0, 20)}${hex().slice(0, 20)}`, `0x${hex()}${hex()}`, `0x${hex()}${hex()}`],
  );
  await signIn(page, ADMIN);
  for (const path of [
    "/admin",
    "/admin/workspaces",
    "/admin/ledger",
    "/admin/prices",
    "/admin/prices/image.generate",
    "/admin/keys",
    "/admin/stripe",
    "/admin/audit",
    "/admin/x402",
    "/admin/leads",
  ]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await violations(page), path).toEqual([]);
  }
});

test("the billing page with auto top-up on, and after a decline (banner, history, owners' notice), has no serious violations", async ({
  page,
}) => {
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
