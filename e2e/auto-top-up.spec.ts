import { test, expect, signUp, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

// Auto top-up as an owner sets it up: a card saved on the emulator's hosted setup page, the settings
// saved, then the simulator spends past the threshold and the job charges the card; the panel shows
// the purchased credits and the history entry without a reload.
test.describe("auto top-up", () => {
  // The browser logs the deliberate 409 ("save a card first") that the first test provokes.
  test.use({ allowedConsoleErrors: [/the server responded with a status of 409/] });
  test("an owner saves a card, turns auto top-up on, and a spend past the threshold buys a pack", async ({ page }) => {
    const email = uniqueEmail("autotopup");
    await signUp(page, email);
    const remaining = page.getByRole("group", { name: "Credits remaining" });
    await expect(remaining).toContainText("400");
    const card = page.getByRole("region", { name: "Auto top-up", exact: true });
    await expect(card).toContainText("no card saved");
    await expect(card.getByText("No auto top-ups yet.")).toBeVisible();

    // turning it on without a card is refused with a clear message
    await card.getByLabel("Turn on auto top-up").check();
    await card.getByRole("button", { name: "Save auto top-up settings" }).click();
    await expect(card.getByRole("alert")).toContainText("Save a card before turning auto top-up on.");

    await card.getByRole("button", { name: "Save a card" }).click();
    await page.waitForURL(/\/c\/pay\/cs_/);
    await expect(page.getByText("Set up future payments")).toBeVisible();
    await page.getByRole("button", { name: "Save card" }).click();
    await page.waitForURL(/\/settings\/billing\?setup=success/);
    await expect(page.getByRole("status").filter({ hasText: "Card saved." })).toBeVisible();
    await expect(card).toContainText("visa ending in 4242");

    await card.getByLabel("Turn on auto top-up").check();
    await card.getByLabel("When remaining drops below (credits)").fill("300");
    await card.getByLabel("Buy this pack").selectOption("starter_1000");
    await card.getByRole("button", { name: "Save auto top-up settings" }).click();
    await expect(card.getByRole("status")).toHaveText("Auto top-up is on.");
    await expect(card.getByText("On", { exact: true })).toBeVisible();

    // the simulator (the AI product) spends 150: 400 → 250, below 300
    const spent = await page.request.post("/api/test/usage", { data: { email, action: "aria.chat", quantity: 150 } });
    expect(spent.ok()).toBe(true);
    await expect(remaining).toContainText("250");
    await expect(card.getByRole("cell", { name: "Waiting to charge" })).toBeVisible();

    // the jobs worker's run (e2e runs the app without the worker)
    const run = await page.request.post("/api/test/jobs", { data: { job: "auto-top-up", email } });
    expect(await run.json()).toMatchObject({ charged: 1, declined: 0 });

    await expect(remaining).toContainText("1,250");
    const row = card.getByRole("row").filter({ hasText: "Paid" });
    await expect(row).toContainText("Starter");
    await expect(row).toContainText("$10");
    await expect(row).toContainText("Credits added");
    await expect(card).toContainText("This month: 1 of 3 purchases");
    await expect(page.getByRole("region", { name: "Credit buckets" })).toContainText("Purchased");
  });

  test("a declined charge turns auto top-up off with a banner, and owners get a notice on every page until they dismiss it", async ({
    page,
  }) => {
    const email = uniqueEmail("atu-declined");
    await signUp(page, email);
    const card = page.getByRole("region", { name: "Auto top-up", exact: true });
    await card.getByRole("button", { name: "Save a card" }).click();
    await page.waitForURL(/\/c\/pay\/cs_/);
    await page.getByLabel("Card number").fill("4000 0000 0000 0341"); // saves, but its charges are declined
    await page.getByRole("button", { name: "Save card" }).click();
    await page.waitForURL(/\/settings\/billing\?setup=success/);
    await card.getByLabel("Turn on auto top-up").check();
    await card.getByLabel("When remaining drops below (credits)").fill("300");
    await card.getByRole("button", { name: "Save auto top-up settings" }).click();
    await expect(card.getByRole("status")).toHaveText("Auto top-up is on.");

    await page.request.post("/api/test/usage", { data: { email, action: "aria.chat", quantity: 150 } });
    const run = await page.request.post("/api/test/jobs", { data: { job: "auto-top-up", email } });
    expect(await run.json()).toMatchObject({ charged: 0, declined: 1 });

    // the panel turns itself off live, with the reason in the banner and the history
    await expect(card.getByRole("alert")).toContainText("Your card was declined.");
    await expect(card.getByText("Off", { exact: true })).toBeVisible();
    await expect(card.getByRole("row").filter({ hasText: "Declined" })).toContainText("generic_decline");
    await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("250");

    // the owners' notice, on another page too, until dismissed
    await page.goto("/settings/usage");
    const notice = page.getByRole("complementary", { name: "Billing notice" });
    await expect(notice).toContainText("Auto top-up is off: Your card was declined.");
    await notice.getByRole("button", { name: "Dismiss notice" }).click();
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("complementary", { name: "Billing notice" })).toHaveCount(0);
  });

  test("members see the settings read-only; the settings route answers 400, 401 and 403 as it should", async ({ page, request }) => {
    const anonymous = await request.get("/api/workspace/auto-top-up");
    expect(anonymous.status()).toBe(401);

    const ownerEmail = uniqueEmail("atu-owner");
    await signUp(page, ownerEmail);
    const bad = await page.request.put("/api/workspace/auto-top-up", {
      data: { enabled: false, threshold_credits: -1, pack_id: "starter_1000", monthly_cap: 3, cooldown_minutes: 10 },
    });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_request", fields: { threshold_credits: "At least 1 credit." } });

    // a second user made a member of the owner's workspace, acting in it
    await page.goto("about:blank"); // no live portal page refetching while the cookies go
    await page.context().clearCookies();
    const memberEmail = uniqueEmail("atu-member");
    await signUp(page, memberEmail);
    const [row] = await sql<{ workspaceId: string; userId: string }>(
      `SELECT m."workspaceId", (SELECT id FROM "User" WHERE email = $2) AS "userId"
         FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
      [ownerEmail, memberEmail],
    );
    await sql(`INSERT INTO "Membership" (id, "userId", "workspaceId", role) VALUES ($1, $2, $3, 'MEMBER')`, [
      `e2e-atu-${Date.now()}`,
      row!.userId,
      row!.workspaceId,
    ]);
    await page.context().addCookies([{ name: "cb_workspace", value: row!.workspaceId, domain: new URL(page.url()).hostname, path: "/" }]);
    const member = await page.request.put("/api/workspace/auto-top-up", {
      data: { enabled: false, threshold_credits: 100, pack_id: "starter_1000", monthly_cap: 3, cooldown_minutes: 10 },
    });
    expect(member.status()).toBe(403);
    expect((await page.request.post("/api/stripe/auto-top-up/setup")).status()).toBe(403);
    await page.reload();
    const card = page.getByRole("region", { name: "Auto top-up", exact: true });
    await expect(card).toContainText("Only workspace owners can change auto top-up.");
    await expect(card.getByRole("button")).toHaveCount(0);
    await expect(card).toContainText("3 purchases");
  });
});
