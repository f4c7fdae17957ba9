import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { ADMIN, expect, signIn, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

// The operator console: who gets in, and grants that customers see. (Price changes are global: they
// live in admin-prices.clock.spec.ts, which runs after every other spec.)
/** The demo's sign-in page names the seeded operator; signs in as them. */
async function signInAsAdmin(page: Page) {
  await page.goto("/login");
  await expect(page.getByText(`sign in as ${ADMIN.email} with password ${ADMIN.password}`)).toBeVisible();
  await signIn(page, ADMIN);
}

test.describe("who gets in", () => {
  // The browser logs the 404 of the refused page.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("a customer gets the plain 404 page at every /admin path and sees no link to the console", async ({ page }) => {
    await signUp(page, uniqueEmail("customer"));
    await expect(page.getByRole("link", { name: "Admin console" })).toHaveCount(0);
    for (const path of [
      "/admin",
      "/admin/workspaces",
      "/admin/prices/image.generate",
      "/admin/audit",
      "/admin/keys",
      "/admin/ledger",
      "/admin/stripe",
      "/admin/x402",
      "/admin/leads",
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Admin" })).toHaveCount(0);
      await expect(page).toHaveTitle("Creditbook");
    }
  });

  test("without a session /admin asks to sign in, then comes back to the console", async ({ page }) => {
    await page.goto("/admin/audit");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Faudit$/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/admin/audit");
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  });
});

test("the seeded operator finds the console from the portal, moves between its pages and back", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole("link", { name: "Admin console" }).click();
  await page.waitForURL(/\/admin$/);
  const nav = page.getByRole("navigation", { name: "Admin" });
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByRole("group", { name: "Queued events" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Failed webhook deliveries" })).toBeVisible();

  await page.getByRole("navigation", { name: "Range" }).getByRole("link", { name: "30 days" }).click();
  await expect(page).toHaveURL(/\/admin\?range=month$/);
  await expect(page.getByRole("navigation", { name: "Range" }).getByRole("link", { name: "30 days" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByRole("heading", { name: "Credits consumed over time" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Top workspaces" })).toBeVisible();

  await nav.getByRole("link", { name: "Prices" }).click();
  await expect(page.getByRole("heading", { name: "Price table" })).toBeVisible();
  await expect(page.getByRole("row", { name: /image\.generate/ })).toBeVisible();
  await nav.getByRole("link", { name: "Workspaces" }).click();
  await expect(page.getByRole("heading", { name: "Workspaces", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Portal" }).click();
  await page.waitForURL("**/settings/billing");
});

test("the operator grants 500 bonus credits with a reason; the customer's billing panel and the audit log show it", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("granted");
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await signUp(customer, email, "Grant Target");
  await expect(customer.getByRole("group", { name: "Credits remaining" })).toContainText("400");

  await signInAsAdmin(page);
  await page.goto("/admin/workspaces");
  await page.getByRole("searchbox", { name: "Search" }).fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=/);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2); // the header and the one workspace
  await page.getByRole("link", { name: "Grant Target's workspace" }).click();
  await expect(page.getByRole("heading", { name: "Grant Target's workspace", level: 1 })).toBeVisible();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("400");

  // The reason is required: nothing is granted without one.
  const form = page.getByRole("region", { name: "Grant or adjust credits", exact: true });
  await form.getByLabel("Credits").fill("500");
  await form.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(form.getByRole("alert")).toContainText("Say why");
  await expect(form.getByLabel("Reason")).toHaveAttribute("aria-invalid", "true");

  const reason = `Goodwill for the outage ${randomUUID().slice(0, 8)}`;
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Apply adjustment" }).click();
  await expect(form.getByRole("status")).toHaveText("Granted 500 credits. The workspace now has 900 credits.");
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("900");
  const entry = page.getByRole("row").filter({ hasText: reason });
  await expect(entry).toContainText("Adjustment");
  await expect(entry).toContainText("+500");
  await expect(entry).toContainText(ADMIN.email);

  await customer.reload();
  await expect(customer.getByRole("group", { name: "Credits remaining" })).toContainText("900");
  await expect(
    customer.getByRole("region", { name: "Credit buckets" }).getByRole("listitem").filter({ hasText: "500 / 500" }),
  ).toContainText("Bonus");
  await customerContext.close();

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  const audit = page.getByRole("row").filter({ hasText: reason });
  await expect(audit).toContainText(ADMIN.email);
  await expect(audit).toContainText("Credit adjustment");
  await expect(audit).toContainText("+500 credits");
  await expect(audit.getByRole("link", { name: "Grant Target's workspace" })).toBeVisible();
});

test("the operator creates a platform key restricted to one action (secret shown once), which debits a named workspace until revoked", async ({
  page,
  browser,
}) => {
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await signUp(customer, uniqueEmail("platform-target"), "Platform Target");
  const workspaceId = await customer.evaluate(async () => (await (await fetch("/api/workspace/balance")).json()).workspaceId as string);
  await customerContext.close();

  await signInAsAdmin(page);
  await page.goto("/admin/keys");
  await expect(page.getByRole("heading", { name: "Platform keys", level: 1 })).toBeVisible();
  const name = `Backend ${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Key name").fill(name);
  await page
    .getByRole("group", { name: "Allowed actions" })
    .getByRole("checkbox", { name: /image\.generate/ })
    .check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByRole("textbox", { name: "New API key" }).inputValue();
  expect(secret).toMatch(/^cb_plat_/);
  const item = page.getByRole("listitem", { name: `Key ${name}` });
  await expect(item).toContainText("Only: image.generate");
  await expect(item).not.toContainText(secret.slice(20));

  const track = (action: string) =>
    page.request.post("/api/v1/track", { headers: { authorization: `Bearer ${secret}` }, data: { action, workspace_id: workspaceId } });
  expect((await track("image.generate")).status()).toBe(201);
  const denied = await track("aria.chat");
  expect(denied.status()).toBe(403);
  expect((await denied.json()).error.code).toBe("policy_denied");

  page.once("dialog", (d) => void d.accept());
  await item.getByRole("button", { name: "Revoke" }).click();
  await expect(item).toContainText("Revoked");
  expect((await track("image.generate")).status()).toBe(401);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Platform key revoked" }).first()).toBeVisible();
});

test("the ledger explorer narrows to a workspace and to one usage event; the Stripe event log filters by outcome", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("ledger-target");
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await signUp(customer, email, "Ledger Target");
  expect((await customer.request.post("/api/test/usage", { data: { email, action: "image.generate", quantity: 1 } })).ok()).toBe(true);
  const workspaceId = await customer.evaluate(async () => (await (await fetch("/api/workspace/balance")).json()).workspaceId as string);
  await customerContext.close();

  await signInAsAdmin(page);
  await page.goto(`/admin/workspaces/${workspaceId}`);
  await page.getByRole("link", { name: "All entries →" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/ledger\\?workspace=${workspaceId}$`));
  const table = page.getByRole("table", { name: "Ledger entries, newest first" });
  await expect(table.getByRole("row").filter({ hasText: "Debit" })).toHaveCount(1);
  await expect(table.getByRole("row").filter({ hasText: "Grant" })).toHaveCount(2); // the allowance and the verified bonus

  await page.getByLabel("Kind").selectOption("DEBIT");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=DEBIT/);
  await expect(table.getByRole("row")).toHaveCount(2); // the header and the debit
  await table.getByRole("link", { name: /image\.generate · v\d+/ }).click();
  await expect(page.getByRole("heading", { name: /^Usage event / })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Usage event / })).toContainText("completed");
  await expect(table.getByRole("row").filter({ hasText: "−5" })).toHaveCount(1);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Stripe events" }).click();
  await expect(page.getByRole("heading", { name: "Stripe events", level: 1 })).toBeVisible();
  await page.getByLabel("Outcome").selectOption("failed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/state=failed/);
  // Whatever this run received, a "failed" filter shows no processed event.
  await expect(page.getByRole("table", { name: "Stripe events, newest first" }).getByText("Processed", { exact: true })).toHaveCount(0);
});

test("a wallet buys a pack over HTTP with x402, and the operator sees the payment on the x402 page", async ({ page, baseURL }) => {
  const account = privateKeyToAccount(generatePrivateKey());
  const client = x402Client.fromConfig({ schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }], spendControls: false });
  const pay = wrapFetchWithPayment(fetch, client);
  const res = await pay(`${baseURL}/api/x402/credits`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pack_id: "starter_1000" }),
  });
  expect(res.status).toBe(201);
  expect(res.headers.get("payment-response")).toBeTruthy();
  const body = (await res.json()) as { api_key: string; payment: { transaction: string } };
  expect(body.api_key).toMatch(/^cb_live_/);

  await signInAsAdmin(page);
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "x402" }).click();
  await expect(page.getByRole("heading", { name: "x402 payments", level: 1 })).toBeVisible();
  const address = account.address.toLowerCase();
  const row = page
    .getByRole("table", { name: "The latest settled x402 payments, newest first" })
    .getByRole("row")
    .filter({ has: page.getByTitle(address) });
  await expect(row).toContainText("starter_1000");
  await expect(row).toContainText("$10.00");
  await expect(row).toContainText(body.payment.transaction.slice(0, 10));
});

/** A payment that settled on chain but was not recorded, as payOnce leaves it (no page can make one). */
async function stuckPayment(purpose: "CREDITS" | "USAGE"): Promise<{ payer: string; transaction: string }> {
  const payer = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
  const hex = () => randomUUID().replace(/-/g, "");
  const transaction = `0x${hex()}${hex()}`;
  // Made "now": younger than the recovery job's grace period, so only the operator resolves it here.
  await sql(
    `INSERT INTO "X402Payment" (id, purpose, network, asset, payer, "payTo", nonce, amount, credits, "packId", "actionKey", "transaction", "createdAt")
     VALUES ($1, $2, 'eip155:84532', '0x036cbd53842c5426634e7929541ec2318f3dcf7e', $3, '0x00000000000000000000000000000000000b0b02', $4, $5, $6, $7, $8, $9, now() AT TIME ZONE 'UTC')`,
    [
      randomUUID(),
      purpose,
      payer,
      `0x${hex()}${hex()}`,
      purpose === "CREDITS" ? 10_000_000 : 50_000,
      purpose === "CREDITS" ? 1000 : 5,
      purpose === "CREDITS" ? "starter_1000" : null,
      purpose === "USAGE" ? "royalty.parse" : null,
      transaction,
    ],
  );
  return { payer, transaction };
}

test("the operator credits one payment that settled but was not recorded, and marks another refunded with a note", async ({ page }) => {
  const pack = await stuckPayment("CREDITS");
  const call = await stuckPayment("USAGE");
  await signInAsAdmin(page);
  await page.goto("/admin/x402");
  const card = page.getByRole("region", { name: "Settled, not recorded", exact: true });
  const table = card.getByRole("table", { name: "x402 payments that settled on chain but were not recorded, oldest first" });
  const packForm = table
    .getByRole("row")
    .filter({ has: page.getByTitle(pack.payer) })
    .getByRole("form");
  await expect(packForm).toHaveAccessibleName(`Resolve payment ${pack.transaction.slice(0, 10)}…${pack.transaction.slice(-6)}`);

  // A reason is required.
  await packForm.getByRole("button", { name: "Credit now" }).click();
  await expect(packForm.getByRole("alert")).toContainText("Say why");
  await packForm.getByLabel("Reason or refund note").fill("Ticket #19: the wallet paid and got nothing");
  await packForm.getByRole("button", { name: "Credit now" }).click();
  // Resolved, it leaves the list; the card says what happened.
  await expect(card.getByRole("status")).toContainText("Recorded: 1,000 credits granted.");
  await expect(table.getByRole("row").filter({ has: page.getByTitle(pack.payer) })).toHaveCount(0);

  const callForm = table
    .getByRole("row")
    .filter({ has: page.getByTitle(call.payer) })
    .getByRole("form");
  await callForm.getByLabel("Reason or refund note").fill("Returned 0.05 USDC by hand");
  await callForm.getByRole("button", { name: "Mark refunded" }).click();
  await expect(card.getByRole("status")).toContainText("Marked refunded; it will not be credited.");

  await page.reload();
  await expect(
    page
      .getByRole("table", { name: "The latest settled x402 payments, newest first" })
      .getByRole("row")
      .filter({ has: page.getByTitle(call.payer) }),
  ).toContainText("Refunded");
  await page.goto("/admin/audit");
  await expect(page.getByText("Ticket #19: the wallet paid and got nothing")).toBeVisible();
  await expect(page.getByText("Returned 0.05 USDC by hand")).toBeVisible();
});
