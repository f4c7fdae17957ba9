import { test, expect, signUp, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

// Packs through the local Stripe emulator's hosted pages, exactly as a user clicks through Stripe.
test.describe("credit packs and the billing portal", () => {
  test("buys starter_1000 on the hosted Checkout page and sees +1,000 credits", async ({ page }) => {
    await signUp(page, uniqueEmail("buyer"));
    const remaining = page.getByRole("group", { name: "Credits remaining" });
    await expect(remaining).toContainText("400");
    await expect(page.getByText("Payments simulated")).toBeVisible();

    await page.getByRole("button", { name: "Buy 1,000 credits for $10" }).click();
    await page.waitForURL(/\/c\/pay\/cs_/);
    await expect(page.getByText("$10.00").first()).toBeVisible();
    await page.getByRole("button", { name: "Pay $10.00" }).click();

    await page.waitForURL(/\/settings\/billing/);
    await expect(page.getByRole("status").filter({ hasText: "Payment received" })).toBeVisible();
    await expect(remaining).toContainText("1,400");
    await expect(page.getByRole("region", { name: "Credit buckets" })).toContainText("Purchased");
  });

  test("a declined card shows a clear message and adds no credits", async ({ page }) => {
    await signUp(page, uniqueEmail("declined"));
    await page.getByRole("button", { name: "Buy 1,000 credits for $10" }).click();
    await page.waitForURL(/\/c\/pay\/cs_/);
    await page.getByRole("button", { name: "Decline" }).click();
    await expect(page.getByRole("alert")).toContainText("Your card was declined");
    await page.getByRole("link", { name: /back/i }).click();
    await page.waitForURL(/\/settings\/billing/);
    await expect(page.getByRole("status").filter({ hasText: "Checkout cancelled" })).toBeVisible();
    await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("400");
  });

  test("Manage billing opens the Billing Portal and comes back", async ({ page }) => {
    await signUp(page, uniqueEmail("portal"));
    await page.getByRole("button", { name: "Manage billing" }).click();
    await page.waitForURL(/\/p\/session\/bps_/);
    await expect(page.getByRole("heading", { name: "Billing portal" })).toBeVisible();
    await page.getByRole("link", { name: /Return to Creditbook/ }).click();
    await page.waitForURL(/\/settings\/billing\?from=billing-portal$/);
  });

  test("the checkout route answers 401 without a session, 400 for an unknown pack, 403 for a member", async ({ page, request }) => {
    const anonymous = await request.post("/api/stripe/create-checkout", { data: { pack_id: "starter_1000" } });
    expect(anonymous.status()).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthenticated");

    const ownerEmail = uniqueEmail("owner");
    await signUp(page, ownerEmail);
    const unknown = await page.request.post("/api/stripe/create-checkout", { data: { pack_id: "gold_999" } });
    expect(unknown.status()).toBe(400);
    expect((await unknown.json()).error).toMatchObject({ code: "invalid_pack", retryable: false });

    // A second user made a member (not owner) of the first one's workspace, acting in it.
    await page.goto("about:blank"); // no live portal page refetching while the cookies go
    await page.context().clearCookies();
    const memberEmail = uniqueEmail("member");
    await signUp(page, memberEmail);
    const [row] = await sql<{ workspaceId: string; userId: string }>(
      `SELECT m."workspaceId", (SELECT id FROM "User" WHERE email = $2) AS "userId"
         FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
      [ownerEmail, memberEmail],
    );
    await sql(`INSERT INTO "Membership" (id, "userId", "workspaceId", role) VALUES ($1, $2, $3, 'MEMBER')`, [
      `e2e-${Date.now()}`,
      row!.userId,
      row!.workspaceId,
    ]);
    await page.context().addCookies([{ name: "cb_workspace", value: row!.workspaceId, domain: new URL(page.url()).hostname, path: "/" }]);
    const member = await page.request.post("/api/stripe/create-checkout", { data: { pack_id: "starter_1000" } });
    expect(member.status()).toBe(403);
    await page.reload();
    await expect(page.getByText("Only workspace owners can buy credits.")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Buy / })).toHaveCount(0);
  });
});
