import Stripe from "stripe";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { E2E_STRIPE, sql } from "./support/services";
import { captureStep } from "./support/journey";
import { violations } from "./support/axe";
import type { Page } from "@playwright/test";

// Paid plan changes as a customer makes them on Settings → Billing: back from Checkout without a reload,
// upgrades confirmed with the amount due today, downgrades scheduled and undone.

const stripe = new Stripe(E2E_STRIPE.key, { host: "127.0.0.1", port: E2E_STRIPE.port, protocol: "http" });

const planCard = (page: Page) => page.getByRole("region", { name: /^Plan: / });

/** A new owner whose workspace already had its trial: the next subscription is charged at once. */
async function ownerWithoutTrial(page: Page, tag: string) {
  const email = uniqueEmail(tag);
  await signUp(page, email);
  const [row] = await sql<{ workspaceId: string }>(
    `SELECT m."workspaceId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 AND m.role = 'OWNER'`,
    [email],
  );
  await sql(`UPDATE "Workspace" SET "trialUsedAt" = now() WHERE id = $1`, [row!.workspaceId]);
  await page.reload();
  return { email, workspaceId: row!.workspaceId };
}

/** Subscribes through the hosted Checkout and comes back: the plan shows as current without a reload. */
async function subscribe(page: Page, plan: string) {
  await page.getByRole("button", { name: `Upgrade to ${plan}` }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await page.waitForURL(/\/settings\/billing/);
  await expect(page.getByRole("status").filter({ hasText: `You’re on ${plan}` })).toBeVisible();
  // The address drops Checkout's parameters: a reload shows the page as it is, not the notice again.
  await expect(page).toHaveURL(/\/settings\/billing$/);
  await expect(page.getByRole("region", { name: `Plan: ${plan}` })).toBeVisible();
  await expect(planCard(page).getByLabel("Plan status: Active")).toBeVisible();
}

test("back from Checkout the new plan is current at once; an upgrade asks first, Cancel changes nothing, Confirm charges the amount shown", async ({
  page,
}, testInfo) => {
  const { workspaceId } = await ownerWithoutTrial(page, "upgrader");
  await subscribe(page, "Starter");
  const plans = page.getByRole("region", { name: "Plans" });
  await expect(plans.getByRole("listitem").filter({ hasText: "Starter" }).getByText("Current")).toBeVisible();
  await expect(plans.getByRole("button", { name: /trial/ })).toHaveCount(0);
  await captureStep(page, testInfo, "checkout-return");

  // Review the upgrade, then back out: nothing changes.
  await plans.getByRole("button", { name: "Upgrade to Pro" }).click();
  const dialog = page.getByRole("dialog", { name: "Upgrade to Pro?" });
  await expect(dialog).toBeVisible();
  const due = dialog.getByRole("definition").first();
  await expect(due).toHaveText(/^\$\d+\.\d\d \(the rest of this billing period, prorated\)$/);
  const amount = (await due.textContent())!.match(/^\$(\d+)\.(\d\d)/)!;
  const dueCents = Number(amount[1]) * 100 + Number(amount[2]);
  await expect(dialog).toContainText("+4,000 credits this period, at once");
  await expect(dialog).toContainText("$29 a month");
  await captureStep(page, testInfo, "upgrade-confirm");
  expect(await violations(page), "the confirmation dialog").toEqual([]);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("region", { name: "Plan: Starter" })).toBeVisible();
  const [before] = await sql<{ planId: string }>(`SELECT "planId" FROM "Workspace" WHERE id = $1`, [workspaceId]);
  expect(before!.planId).toBe("starter");

  // Confirm: charged exactly what the dialog said, and the page says so without a reload.
  await plans.getByRole("button", { name: "Upgrade to Pro" }).click();
  await dialog.getByRole("button", { name: `Pay $${amount[1]}.${amount[2]} and upgrade` }).click();
  await expect(page.getByRole("status").filter({ hasText: `You’re on Pro now. $${amount[1]}.${amount[2]} was charged.` })).toBeVisible();
  await expect(page.getByRole("region", { name: "Plan: Pro" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("of your plan’s 5,000");
  const [w] = await sql<{ stripeCustomerId: string }>(`SELECT "stripeCustomerId" FROM "Workspace" WHERE id = $1`, [workspaceId]);
  const [latest] = (await stripe.invoices.list({ customer: w!.stripeCustomerId, limit: 1 })).data;
  expect(latest).toMatchObject({ status: "paid", amount_paid: dueCents, billing_reason: "subscription_update" });
  await captureStep(page, testInfo, "upgrade-done");
});

test("a downgrade shows its date at once and can be undone until then", async ({ page }, testInfo) => {
  await ownerWithoutTrial(page, "downgrader");
  await subscribe(page, "Pro");
  const plans = page.getByRole("region", { name: "Plans" });
  await plans.getByRole("button", { name: "Switch to Starter" }).click();
  const dialog = page.getByRole("dialog", { name: /^Switch to Starter on / });
  await expect(dialog).toContainText("Due today$0");
  await expect(dialog).toContainText("You keep Pro and its 5,000 credits a month");
  const date = (await dialog.getByRole("heading").textContent())!.replace(/^Switch to Starter on (.*)\?$/, "$1");
  await dialog.getByRole("button", { name: "Schedule the switch" }).click();

  await expect(page.getByRole("status").filter({ hasText: `Starter starts on ${date}` })).toBeVisible();
  await expect(planCard(page).getByLabel("Plan status: Change scheduled")).toBeVisible();
  await expect(planCard(page)).toContainText(`Changes to Starter on ${date}`);
  await expect(plans.getByRole("listitem").filter({ hasText: "Starter" }).getByText(`From ${date}`)).toBeVisible();
  await captureStep(page, testInfo, "downgrade-scheduled");
  expect(await violations(page), "a scheduled change").toEqual([]);

  await planCard(page).getByRole("button", { name: "Keep Pro" }).click();
  await expect(planCard(page).getByLabel("Plan status: Active")).toBeVisible();
  await expect(planCard(page)).not.toContainText("Changes to Starter");
  await expect(plans.getByRole("button", { name: "Switch to Starter" })).toBeEnabled();
  await captureStep(page, testInfo, "downgrade-undone");
});

test("back from Checkout before Stripe has confirmed, the page says so and updates by itself once it has", async ({ page }, testInfo) => {
  await signUp(page, uniqueEmail("confirming"));
  await page.getByRole("button", { name: "Start 30-day trial of Pro" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  const sessionId = new URL(page.url()).pathname.split("/").pop()!;
  // As if the browser came back while the payment was still being confirmed.
  await page.goto(`/settings/billing?checkout=success&session_id=${sessionId}`);
  await expect(page.getByRole("status").filter({ hasText: "Confirming your payment…" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Plan: Free" })).toBeVisible();
  await captureStep(page, testInfo, "checkout-confirming");

  const paid = await fetch(`${E2E_STRIPE.base}/_emulator/checkout/sessions/${sessionId}/pay`, {
    method: "POST",
    headers: { authorization: `Bearer ${E2E_STRIPE.key}`, "content-type": "application/json" },
    body: JSON.stringify({ outcome: "succeeded" }),
  });
  expect(paid.status).toBeLessThan(300);
  // No reload: the notice and the plan card follow Stripe.
  await expect(page.getByRole("status").filter({ hasText: "Your Pro trial has started. Nothing was charged today." })).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.getByRole("region", { name: "Plan: Pro" }).getByLabel("Plan status: Trial")).toBeVisible();
  await expect(page).toHaveURL(/\/settings\/billing$/);
});
