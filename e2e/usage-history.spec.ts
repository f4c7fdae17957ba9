import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";
import { parseCsv } from "../test/support/csv";

const NASTY = '=HYPERLINK("http://evil.example","click"), "quoted"';

/** Creates a workspace key on Settings → API keys and returns its secret. */
async function createKey(page: Page): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Key name").fill("History backend");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel("New API key").inputValue();
  expect(secret).toMatch(/^cb_live_/);
  return secret;
}

/** Six events through the metering API, one of each outcome (Free: 400 credits to start). */
async function makeUsage(page: Page, secret: string) {
  const headers = { Authorization: `Bearer ${secret}` };
  const post = async (path: string, data: object, status: number) => {
    const res = await page.request.post(path, { headers, data });
    expect(res.status(), `${path} ${await res.text()}`).toBe(status);
    return res.json();
  };
  await post("/api/v1/track", { action: "aria.chat", subject: "artist-1" }, 201); // 399
  await post("/api/v1/track", { action: "image.generate", quantity: 2, subject: NASTY }, 201); // 389
  const sonic = await post("/api/v1/track", { action: "sonic.analysis", subject: "track-7" }, 201); // 384
  await post(`/api/v1/events/${sonic.event_id}/refund`, {}, 200); // 389
  const stems = await post("/api/v1/reservations", { action: "stems.separate", subject: "release-9" }, 201); // 374
  await post(`/api/v1/reservations/${stems.reservation_id}/commit`, { actual: 12 }, 200); // 377
  await post("/api/v1/reservations", { action: "video.generate" }, 201); // 357, held
  await post("/api/v1/track", { action: "background.refresh" }, 201); // free
}

test("Settings → Usage lists every event with its buckets and balance, filters them, exports them, and fits a phone", async ({ page }) => {
  const email = uniqueEmail("history");
  await signUp(page, email);

  // Between Billing and API keys in the settings navigation; empty until the API is called.
  const nav = page.getByRole("navigation", { name: "Settings" });
  const tabs = await nav.getByRole("link").allTextContents();
  expect(tabs.slice(tabs.indexOf("Billing"), tabs.indexOf("Billing") + 3)).toEqual(["Billing", "Usage", "API keys"]);
  await nav.getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("heading", { name: "Usage history", level: 1 })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Usage" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "No usage yet — events appear here as your AI product calls the API" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Get an API key" })).toHaveAttribute("href", "/settings/api-keys");

  await makeUsage(page, await createKey(page));
  await page.goto("/settings/usage");
  const table = page.getByRole("table", { name: "Usage events, newest first" });
  const rows = table.getByRole("row");
  await expect(rows).toHaveCount(7); // header + 6 events
  // Newest first: action, credits, status, paid from, price version and balance after.
  const expected = [
    ["Background data refresh", "0", "Completed", "—", "v1", "357"],
    ["Video generation", "20", "Held", "Held: Plan 20", "v1", "357"],
    ["Stem separation (per track)", "12", "Completed", "Plan 12", "v1", "377"],
    ["Sonic analysis (per track)", "5", "Refunded", "Plan 5", "v1", "389"],
    ["Image generation", "10", "Completed", "Plan 10", "v1", "389"],
    ["Aria chat conversation", "1", "Completed", "Plan 1", "v1", "399"],
  ];
  for (const [i, [name, credits, status, paid, version, balance]] of expected.entries()) {
    const cells = rows.nth(i + 1).getByRole("cell");
    await expect(cells.nth(1)).toContainText(name!);
    await expect(cells.nth(3)).toHaveText(credits!);
    await expect(cells.nth(4)).toHaveText(status!);
    await expect(cells.nth(5)).toHaveText(paid!);
    await expect(cells.nth(6)).toHaveText(version!);
    await expect(cells.nth(7)).toHaveText(balance!);
  }
  await expect(rows.nth(5).getByRole("cell").nth(2)).toHaveText(NASTY);
  await expect(rows.nth(5).getByRole("cell").nth(1)).toContainText("image.generate × 2");
  // Times in the viewer's zone (New York), UTC on hover.
  const time = rows.nth(1).locator("time");
  await expect(time).toHaveAttribute("title", /UTC$/);
  await expect(time).toContainText(/E[SD]T$/);
  await expect(page.getByRole("link", { name: "Older →" })).toHaveCount(0);

  // Status filter through the form (a plain GET: the URL carries it).
  await page.getByLabel("Status").selectOption("held");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/status=held/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("Video generation");
  // Action filter (the status filter reset to all).
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Action").selectOption({ label: "Image generation (image.generate)" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/action=image\.generate/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("Image generation");
  // A filter nothing matches, then reset.
  await page.getByLabel("Status").selectOption("released");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Reset filters" }).click();
  await page.waitForURL(/\/settings\/usage$/);
  await expect(rows).toHaveCount(7);

  // The CSV export: the same events and values as the page and the database.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^creditbook-usage-e2e-user-s-workspace-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(fs.readFileSync((await download.path())!, "utf8"));
  expect(csv[0]).toEqual([
    "time_utc",
    "action_key",
    "action_name",
    "subject",
    "credits",
    "status",
    "paid_from",
    "price_version",
    "balance_after",
    "event_id",
    "member",
    "api_key",
  ]);
  expect(
    csv.slice(1).map((r) => [r[2], r[4], r[5] === "held" ? "Held" : r[5]![0]!.toUpperCase() + r[5]!.slice(1), r[6], r[7], r[8]]),
  ).toEqual(
    expected.map(([name, credits, status, paid, version, balance]) => [
      name,
      credits,
      status,
      paid === "—" ? "" : paid!.replace("Held: ", "held: "),
      version,
      balance,
    ]),
  );
  expect(csv[5]![3]).toBe(`'${NASTY}`); // no formula runs when the file is opened
  const db = await sql<{ id: string; createdAt: string; actionKey: string; credits: number; status: string }>(
    `SELECT e.id, to_char(e."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", e."actionKey", e.credits, e.status::text AS status FROM "UsageEvent" e
       JOIN "Membership" m ON m."workspaceId" = e."workspaceId" JOIN "User" u ON u.id = m."userId"
      WHERE u.email = $1 ORDER BY e."createdAt" DESC, e.id DESC`,
    [email],
  );
  expect(csv.slice(1).map((r) => [r[9], r[1], Number(r[4]), r[5]])).toEqual(
    db.map((e) => [e.id, e.actionKey, e.credits, e.status === "PENDING" ? "held" : e.status.toLowerCase()]),
  );
  expect(csv.slice(1).map((r) => r[0])).toEqual(db.map((e) => e.createdAt));

  // The export keeps the page's filters, and answers as a CSV attachment.
  const filtered = await page.request.get("/api/workspace/usage.csv?status=refunded");
  expect(filtered.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(filtered.headers()["content-disposition"]).toMatch(/^attachment; filename="creditbook-usage-.+\.csv"$/);
  expect(
    parseCsv(await filtered.text())
      .slice(1)
      .map((r) => r[1]),
  ).toEqual(["sonic.analysis"]);
  const bad = await page.request.get("/api/workspace/usage.csv?from=someday");
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: "invalid_request", field: "from" });

  // A phone: the rows become cards and nothing scrolls the page sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const cards = page.getByRole("list", { name: "Usage events, newest first" }).getByRole("listitem");
  await expect(cards).toHaveCount(6);
  await expect(table).toBeHidden();
  await expect(cards.nth(1)).toContainText("Held: Plan 20");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("a member sees the workspace's history; without a session there is none", async ({ page, request, browser }) => {
  const anonymous = await request.get("/api/workspace/usage.csv");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("unauthenticated");

  const ownerEmail = uniqueEmail("history-owner");
  await signUp(page, ownerEmail);
  expect((await page.request.post("/api/test/usage", { data: { email: ownerEmail, action: "campaign.plan" } })).status()).toBe(200);

  // A second user made a member (not owner) of the owner's workspace, acting in it.
  const context = await browser.newContext();
  const member = await context.newPage();
  const memberEmail = uniqueEmail("history-member");
  await signUp(member, memberEmail);
  const [row] = await sql<{ workspaceId: string; userId: string }>(
    `SELECT m."workspaceId", (SELECT id FROM "User" WHERE email = $2) AS "userId"
       FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [ownerEmail, memberEmail],
  );
  await sql(`INSERT INTO "Membership" (id, "userId", "workspaceId", role) VALUES ($1, $2, $3, 'MEMBER')`, [
    `e2e-history-${Date.now()}`,
    row!.userId,
    row!.workspaceId,
  ]);
  await context.addCookies([{ name: "cb_workspace", value: row!.workspaceId, domain: new URL(member.url()).hostname, path: "/" }]);
  await member.goto("/settings/usage");
  const rows = member.getByRole("table", { name: "Usage events, newest first" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("AI campaign planner");
  await expect(rows.nth(1).getByRole("cell").last()).toHaveText("390");
  await context.close();

  // Off the portal first: its live figures refetch when the window regains focus (the member's context just
  // closed), and a refetch racing the cleared cookies would be a 401 in the console.
  await page.goto("about:blank");
  await page.context().clearCookies();
  await page.goto("/settings/usage");
  await page.waitForURL(/\/login\?callbackUrl=%2Fsettings%2Fusage/);
});
