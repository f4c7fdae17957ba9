import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page, TestInfo } from "@playwright/test";
import { randomInt } from "node:crypto";
import { expect, PASSWORD, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/** A second person: their own browser context (cookies), address and console-error check. */
async function secondBrowser(browser: Browser, testInfo: TestInfo) {
  const context = await browser.newContext({ ...testInfo.project.use, permissions: ["clipboard-read", "clipboard-write"] });
  await context.setExtraHTTPHeaders({ "x-forwarded-for": `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return {
    page,
    async close() {
      await context.close();
      expect(errors, "the second browser's console errors").toEqual([]);
    },
  };
}

/** Setup only: the owner's workspace on a plan with seats (buying one goes through Stripe, tested elsewhere). */
async function setPlan(email: string, planId: string) {
  await sql(
    `UPDATE "Workspace" SET "planId" = $2 WHERE id IN (SELECT m."workspaceId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 AND m.role = 'OWNER')`,
    [email, planId],
  );
}

async function invite(page: Page, email: string, role: "Member" | "Owner" = "Member"): Promise<string> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role").selectOption({ label: role });
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const link = page.getByLabel(`Invitation link for ${email}`);
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  // Mailed (the outbox in test mode), and the link is there to copy as well.
  await expect(page.getByRole("status").filter({ hasText: `Invitation mailed to ${email}` })).toBeVisible();
  return link.inputValue();
}

test("an owner invites a teammate who joins and sees the same balance but no purchase buttons", async ({ page, browser }, testInfo) => {
  test.slow(); // two people, two browsers, an axe run
  const ownerEmail = uniqueEmail("owner");
  await signUp(page, ownerEmail, "Acme Owner");
  await setPlan(ownerEmail, "pro");
  await page.request.post("/api/test/usage", { data: { email: ownerEmail, action: "video.generate" } }); // 400 → 380

  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await expect(page.getByText("Pro plan: 1 of 3 seats used (1 member).")).toBeVisible();
  const teammate = uniqueEmail("teammate");
  const url = await invite(page, teammate);
  await page.getByRole("button", { name: "Copy link" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await page.reload();
  await expect(page.getByRole("listitem", { name: `Invitation ${teammate}` })).toContainText("Pending");
  await expect(page.getByText("Pro plan: 2 of 3 seats used (1 member + 1 pending).")).toBeVisible();
  await expect(page.getByLabel(`Invitation link for ${teammate}`)).toHaveCount(0); // shown once

  // The teammate opens the link, creates an account for the invited address and lands in the workspace.
  const other = await secondBrowser(browser, testInfo);
  const mate = other.page;
  await mate.goto(url);
  await expect(mate.getByRole("heading", { name: "Join Acme Owner's workspace" })).toBeVisible();
  await expect(mate.getByText(`Acme Owner (${ownerEmail}) invited ${teammate} to join Acme Owner's workspace as a member.`)).toBeVisible();
  await expect(mate.getByLabel("Email")).toHaveValue(teammate);
  const axe = await new AxeBuilder({ page: mate }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(
    axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
    "the invitation page's accessibility",
  ).toEqual([]);
  await mate.getByLabel("Password").fill(PASSWORD);
  await mate.getByRole("button", { name: "Create account and join" }).click();
  await mate.waitForURL("**/settings/billing");
  await expect(mate.getByRole("combobox", { name: "Workspace" }).locator("option:checked")).toHaveText("Acme Owner's workspace (member)");

  // The same balance as the owner sees; prices but no purchase buttons.
  await page.getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("380");
  await expect(page.getByRole("button", { name: /^Buy / }).first()).toBeVisible();
  await expect(mate.getByRole("group", { name: "Credits remaining" })).toContainText("380");
  await expect(mate.getByText("Only workspace owners can buy credits.")).toBeVisible();
  await expect(mate.getByRole("button", { name: /^Buy / })).toHaveCount(0);
  await expect(mate.getByRole("button", { name: /^(Start|Choose|Upgrade|Switch)/ })).toHaveCount(0);
  await expect(mate.getByRole("button", { name: "Manage billing" })).toHaveCount(0);

  // A debit shows for both (one workspace, one ledger).
  await page.request.post("/api/test/usage", { data: { email: ownerEmail, action: "aria.chat" } });
  await expect(mate.getByRole("group", { name: "Credits remaining" })).toContainText("379", { timeout: 10_000 });

  // Members see the team but cannot manage it.
  await mate.getByRole("link", { name: "Members" }).click();
  await expect(mate.getByText("Only workspace owners can invite, remove or change the role of members.")).toBeVisible();
  await expect(mate.getByRole("button", { name: "Invite", exact: true })).toHaveCount(0);
  await expect(mate.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  await expect(mate.getByRole("listitem", { name: `Member ${ownerEmail}` })).toContainText("Owner");
  await expect(mate.getByRole("listitem", { name: `Member ${teammate}` })).toContainText("You");

  // Their own workspace is one switch away, where they are the owner.
  await mate.getByRole("combobox", { name: "Workspace" }).selectOption({ label: `${teammate.split("@")[0]}'s workspace` });
  await expect(mate.getByRole("combobox", { name: "Workspace" }).locator("option:checked")).toHaveText(
    `${teammate.split("@")[0]}'s workspace`,
  );
  await expect(mate.getByRole("button", { name: "Invite", exact: true })).toBeVisible();
  await mate.getByRole("link", { name: "Billing" }).click();
  // The Free allowance; the sign-up bonus waits until they confirm their email (the invitation link
  // may have been copied by the owner rather than mailed, so it proves nothing about the address).
  await expect(mate.getByRole("group", { name: "Credits remaining" })).toContainText("100");
  await expect(mate.getByText(/Verify your email to get 300 bonus credits/)).toBeVisible();
  await expect(mate.getByRole("button", { name: /^Buy / }).first()).toBeVisible();

  // The link was used up.
  await mate.goto(url);
  await expect(mate.getByRole("heading", { name: "Invitation unavailable" })).toBeVisible();
  await expect(mate.getByRole("alert").filter({ hasText: "invitation" })).toHaveText("This invitation link has already been used.");
  await other.close();

  // The owner sees the new member and no pending invitation.
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("listitem", { name: `Member ${teammate}` })).toContainText("Member");
  await expect(page.getByText("No pending invitations.")).toBeVisible();
});

test("a full plan refuses an invitation with an upgrade prompt; a wrong account is told which email the link is for", async ({
  page,
  browser,
}, testInfo) => {
  const ownerEmail = uniqueEmail("free-owner");
  await signUp(page, ownerEmail);
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page.getByText("Every seat of the Free plan is taken.")).toBeVisible();
  await page.getByLabel("Email").fill(uniqueEmail("nope"));
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const alert = page.getByRole("alert").filter({ hasText: "seat" });
  await expect(alert).toContainText("Your Free plan includes 1 seat, all taken (1 member)");
  await expect(alert).toContainText("Upgrade to Pro (3 seats).");
  await expect(alert.getByRole("link", { name: "Compare plans" })).toHaveAttribute("href", "/settings/billing#plans");

  // On Pro, the invitation is made; someone signed in as another user cannot use it.
  await setPlan(ownerEmail, "pro");
  const invited = uniqueEmail("invited");
  await page.reload();
  const url = await invite(page, invited, "Owner");
  const other = await secondBrowser(browser, testInfo);
  const wrong = uniqueEmail("wrong");
  await signUp(other.page, wrong);
  await other.page.goto(url);
  await expect(other.page.getByRole("alert").filter({ hasText: "invitation" })).toContainText(
    `This invitation is for ${invited}, but you are signed in as ${wrong}.`,
  );
  await expect(other.page.getByRole("button", { name: /^Join / })).toHaveCount(0);
  await other.close();

  // The owner withdraws it; the link then says so.
  await page.getByRole("button", { name: `Withdraw the invitation of ${invited}` }).click();
  await expect(page.getByText("No pending invitations.")).toBeVisible();
  await page.goto(url);
  await expect(page.getByRole("alert").filter({ hasText: "invitation" })).toHaveText(
    "This invitation was withdrawn, or replaced by a newer link.",
  );
});

test("usage names who caused it: the history and its breakdown filter by member and by API key", async ({ page }) => {
  const email = uniqueEmail("attrib");
  await signUp(page, email);
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill("Backend");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel("New API key").inputValue();
  for (const action of ["aria.chat", "image.generate"]) {
    expect((await page.request.post("/api/v1/track", { headers: { Authorization: `Bearer ${secret}` }, data: { action } })).status()).toBe(
      201,
    );
  }
  expect((await page.request.post("/api/test/usage", { data: { email, action: "sonic.analysis" } })).status()).toBe(200); // by the member

  await page.getByRole("link", { name: "Usage" }).click();
  const breakdown = page.getByRole("region", { name: "Breakdown" });
  const who = breakdown.getByRole("table", { name: "By member or API key" });
  await expect(who.getByRole("row", { name: /Backend/ })).toContainText("6"); // aria.chat 1 + image.generate 5, in 2 events
  await expect(who.getByRole("row", { name: new RegExp(email) })).toContainText("5");
  const rows = page.getByRole("table", { name: "Usage events, newest first" }).getByRole("row");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText(`by ${email}`);
  await expect(rows.nth(2)).toContainText("via key Backend (cb_live_");

  await page
    .getByLabel("API key")
    .selectOption({ label: await page.getByLabel("API key").locator("option", { hasText: "Backend" }).innerText() });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/key=/);
  await expect(rows).toHaveCount(3);
  await expect(who.getByRole("row")).toHaveCount(2); // header + the key
  await expect(breakdown).toContainText("2 events matching the filters, 6 credits charged");

  // From the breakdown: the member's events only.
  await page.getByRole("link", { name: "Reset", exact: true }).click();
  await who.getByRole("link", { name: email }).click();
  await page.waitForURL(/member=/);
  await expect(page.getByLabel("Member")).toHaveValue(/.+/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("Sonic analysis");
});

test("an existing user signs in from the invitation, joins as an owner, and switches between workspaces", async ({
  page,
  browser,
}, testInfo) => {
  test.slow(); // two people, two browsers
  const ownerEmail = uniqueEmail("scale-owner");
  await signUp(page, ownerEmail, "Label Ops");
  await setPlan(ownerEmail, "scale");
  await page.getByRole("link", { name: "Members" }).click();
  const other = await secondBrowser(browser, testInfo);
  const guest = other.page;
  const guestEmail = uniqueEmail("existing");
  await signUp(guest, guestEmail, "Existing User");
  await guest.getByRole("button", { name: "Sign out" }).click();
  await guest.waitForURL("**/login");

  const url = await invite(page, guestEmail, "Owner");
  await guest.goto(url);
  await expect(guest.getByText(`You already have an account for ${guestEmail}: sign in to accept.`)).toBeVisible();
  await guest.getByRole("link", { name: "Sign in to accept" }).click();
  await guest.getByLabel("Email").fill(guestEmail);
  await guest.getByLabel("Password").fill(PASSWORD);
  await guest.getByRole("button", { name: "Sign in", exact: true }).click();
  await guest.waitForURL(/\/invite\//);
  await guest.getByRole("button", { name: "Join Label Ops's workspace" }).click();
  await guest.waitForURL("**/settings/billing");
  const switcher = guest.getByRole("combobox", { name: "Workspace" });
  await expect(switcher.locator("option:checked")).toHaveText("Label Ops's workspace");
  // As an owner they may buy, and manage members (the other owner included).
  await expect(guest.getByRole("button", { name: /^Buy / }).first()).toBeVisible();
  await guest.getByRole("link", { name: "Members" }).click();
  await expect(guest.getByRole("button", { name: `Remove ${ownerEmail}` })).toBeVisible();

  // Back to their own workspace and again: each page shows the workspace chosen.
  await switcher.selectOption({ label: "Existing User's workspace" });
  await expect(guest.getByText("Who can see and manage Existing User's workspace.")).toBeVisible();
  await switcher.selectOption({ label: "Label Ops's workspace" });
  await expect(guest.getByText("Who can see and manage Label Ops's workspace.")).toBeVisible();
  await other.close();

  await page.reload();
  await expect(page.getByRole("listitem", { name: `Member ${guestEmail}` })).toContainText("Owner");
  await expect(page.getByText("Scale plan: 2 of 10 seats used (2 members).")).toBeVisible();
});

test.describe("a stale tab", () => {
  test.use({ allowedConsoleErrors: [/status of 409/] }); // the refused purchase's fetch

  test("a page rendered for one workspace changes nothing after a switch in another tab, and works once reloaded", async ({
    page,
    browser,
  }, testInfo) => {
    const otherOwner = await secondBrowser(browser, testInfo);
    const teamEmail = uniqueEmail("tab-team");
    await signUp(otherOwner.page, teamEmail, "Tab Team");
    await otherOwner.close();
    const userEmail = uniqueEmail("tab-user");
    await signUp(page, userEmail, "Tab User");
    const [team] = await sql<{ id: string }>(
      `SELECT m."workspaceId" AS id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
      [teamEmail],
    );
    const [user] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [userEmail]);
    // Setup only: the user is an owner of the team's workspace too (joining by invitation is tested above).
    await sql(`INSERT INTO "Membership" (id, "workspaceId", "userId", role, "createdAt") VALUES ($1, $2, $3, 'OWNER', now())`, [
      `tabs-${user!.id}`,
      team!.id,
      user!.id,
    ]);
    const keysNamed = async (name: string) => sql<{ workspaceId: string }>(`SELECT "workspaceId" FROM "ApiClient" WHERE name = $1`, [name]);

    // Tab A shows the user's own workspace; tab B switches to the team's.
    await page.goto("/settings/api-keys");
    await page.getByLabel("Key name").fill("stale tab key");
    const tabB = await page.context().newPage();
    await tabB.goto("/settings/billing");
    await tabB.getByRole("combobox", { name: "Workspace" }).selectOption({ label: "Tab Team's workspace" });
    await expect(tabB.getByRole("combobox", { name: "Workspace" }).locator("option:checked")).toHaveText("Tab Team's workspace");

    // Tab A's form still says "Tab User's workspace": creating the key there is refused, in neither workspace.
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "another workspace" })).toHaveText(
      "This page was for another workspace: Tab Team's workspace is now current (switched in another tab). Nothing was changed; reload the page.",
    );
    expect(await keysNamed("stale tab key")).toEqual([]);

    // A purchase from a stale billing page is refused the same way, before any checkout opens.
    await tabB.getByRole("combobox", { name: "Workspace" }).selectOption({ label: "Tab User's workspace" });
    await expect(tabB.getByRole("combobox", { name: "Workspace" }).locator("option:checked")).toHaveText("Tab User's workspace");
    await page.goto("/settings/billing");
    await tabB.getByRole("combobox", { name: "Workspace" }).selectOption({ label: "Tab Team's workspace" });
    await expect(tabB.getByRole("combobox", { name: "Workspace" }).locator("option:checked")).toHaveText("Tab Team's workspace");
    await page.getByRole("button", { name: /^Buy / }).first().click();
    await expect(page.getByRole("alert").filter({ hasText: "another workspace" })).toContainText(
      "Tab Team's workspace is now current (switched in another tab)",
    );
    expect(page.url()).toContain("/settings/billing");

    // Reloaded, the page is the team's and the key is made there.
    await page.goto("/settings/api-keys");
    await page.getByLabel("Key name").fill("stale tab key");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByLabel("New API key")).toHaveValue(/^cb_/);
    expect(await keysNamed("stale tab key")).toEqual([{ workspaceId: team!.id }]);
    await tabB.close();
  });
});
