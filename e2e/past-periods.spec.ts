import { randomUUID } from "node:crypto";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";
import { violations } from "./support/axe";

// Past periods (issue 18): last month's usage on Billing (period summary) and on Usage (quick pick, Group by
// member). The history is written straight into UsageEvent with last month's dates, as the metering API
// would have recorded it then; the figures are read by role and name.

const MONTH = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "long", year: "numeric" });
const day = (d: Date) => d.toISOString().slice(0, 10);

async function record(workspaceId: string, userId: string, action: string, credits: number, at: Date) {
  await sql(
    `INSERT INTO "UsageEvent" (id, "workspaceId", "userId", "actionKey", category, "priceId", credits, status, "createdAt", "completedAt")
     SELECT $1, $2, $3, p."actionKey", p.category, p.id, $4, 'COMPLETED', $5::timestamp(3), $5::timestamp(3)
       FROM "ActionPrice" p WHERE p."actionKey" = $6 AND p.version = 1`,
    [`e2e-past-${randomUUID()}`, workspaceId, userId, credits, at.toISOString().replace("T", " ").replace("Z", ""), action],
  );
}

test("last month's figures on Billing and on Usage, grouped by member", async ({ page, browser }) => {
  test.slow(); // two people sign up
  const ownerEmail = uniqueEmail("past-owner");
  await signUp(page, ownerEmail);
  const context = await browser.newContext();
  const memberPage = await context.newPage();
  const memberEmail = uniqueEmail("past-member");
  await signUp(memberPage, memberEmail);
  await context.close();
  const [ids] = await sql<{ workspaceId: string; ownerId: string; memberId: string }>(
    `SELECT m."workspaceId", u.id AS "ownerId", (SELECT id FROM "User" WHERE email = $2) AS "memberId"
       FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [ownerEmail, memberEmail],
  );
  await sql(`INSERT INTO "Membership" (id, "userId", "workspaceId", role) VALUES ($1, $2, $3, 'MEMBER')`, [
    `e2e-past-${randomUUID()}`,
    ids!.memberId,
    ids!.workspaceId,
  ]);

  // The app's clock (a monthly plan: periods are calendar months).
  const now = new Date(((await (await page.request.get("/api/test/clock")).json()) as { now: string }).now);
  const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const lastDay = new Date(thisMonth.getTime() - 86_400_000);
  await record(ids!.workspaceId, ids!.ownerId, "image.generate", 5, new Date(lastMonth.getTime() + 2 * 86_400_000 + 3_600_000));
  await record(ids!.workspaceId, ids!.memberId, "aria.chat", 1, new Date(lastMonth.getTime() + 9 * 86_400_000));
  await record(ids!.workspaceId, ids!.memberId, "campaign.plan", 10, new Date(thisMonth.getTime() - 1000)); // 23:59:59 on the last day
  await record(ids!.workspaceId, ids!.ownerId, "aria.chat", 1, thisMonth); // 00:00 on the 1st: this month's
  const label = MONTH.format(lastMonth);

  // Billing: pick last month.
  await page.goto("/settings/billing");
  await page.getByLabel("Credit period").selectOption({ label });
  await page.getByRole("button", { name: "Show period" }).click();
  await page.waitForURL(new RegExp(`period=${day(lastMonth)}`));
  const summary = page.getByRole("region", { name: `Period summary: ${label}` });
  await expect(summary.getByRole("group", { name: "Credits used" })).toContainText("16");
  await expect(summary.getByRole("group", { name: "Events" })).toContainText("3");
  const byType = page.getByRole("table", { name: `Credits used in ${label} by action type` });
  await expect(
    byType
      .getByRole("row", { name: /Image generation/ })
      .getByRole("cell")
      .last(),
  ).toHaveText("5");
  await expect(byType.getByRole("row", { name: /Other/ }).getByRole("cell").last()).toHaveText("10");
  await expect(
    byType
      .getByRole("row", { name: /Aria chat/ })
      .getByRole("cell")
      .last(),
  ).toHaveText("1");
  await expect(byType.getByRole("row", { name: "Total" })).toContainText("16");
  await expect(page.getByRole("heading", { name: "Usage over the period" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toHaveCount(0); // the live panel gives way
  await expect(page.getByLabel("Credit period")).toHaveValue(day(lastMonth));
  expect(await violations(page), "Billing, last month").toEqual([]);

  // A value that names no period: a note, and the current period.
  await page.goto(`/settings/billing?period=${day(lastMonth).slice(0, 8)}15`);
  await expect(page.getByRole("status").filter({ hasText: "No credit period starts on" })).toContainText("the current period is shown");
  await expect(page.getByRole("group", { name: "Used this period" })).toBeVisible();

  // From the summary to the same events in the history.
  await page.goto(`/settings/billing?period=${day(lastMonth)}`);
  await summary.getByRole("link", { name: "See these events in Usage history" }).click();
  await page.waitForURL(`**/settings/usage?from=${day(lastMonth)}&to=${day(lastDay)}`);
  const events = page.getByRole("table", { name: "Usage events, newest first" }).getByRole("row");
  await expect(events).toHaveCount(4); // header + last month's 3, not the 1st's
  const quick = page.getByRole("navigation", { name: "Quick ranges" });
  await expect(quick.getByRole("link", { name: "Last period" })).toHaveAttribute("aria-current", "true");

  // Usage: This period, then Last period from the quick picks, grouped by member.
  await quick.getByRole("link", { name: "This period" }).click();
  await page.waitForURL(/from=.*&to=/);
  await expect(events).toHaveCount(2);
  await quick.getByRole("link", { name: "Last period" }).click();
  await page.waitForURL(`**/settings/usage?from=${day(lastMonth)}&to=${day(lastDay)}`);
  await expect(events).toHaveCount(4);
  await page.getByLabel("Group by").selectOption("member");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/group=member/);
  const byMember = page.getByRole("region", { name: "Breakdown" }).getByRole("table", { name: "By member" });
  await expect(byMember.getByRole("row")).toHaveCount(3); // header + two people
  await expect(byMember.getByRole("row", { name: new RegExp(memberEmail) }).getByRole("cell")).toHaveText(["2", /^11/]);
  await expect(byMember.getByRole("row", { name: new RegExp(ownerEmail) }).getByRole("cell")).toHaveText(["1", /^5/]);
  await expect(page.getByRole("region", { name: "Breakdown" })).toContainText(
    "3 events matching the filters, 16 credits charged, by member and by category.",
  );
  await expect(page.getByRole("heading", { name: "Daily usage" })).toBeVisible();
  expect(await violations(page), "Usage, last month by member").toEqual([]);
  // The grouping is kept by the quick picks, and the export takes the same query.
  await expect(quick.getByRole("link", { name: "This period" })).toHaveAttribute("href", /group=member/);
  const csv = await page.request.get(`/api/workspace/usage.csv?from=${day(lastMonth)}&to=${day(lastDay)}&group=member`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).trim().split("\n")).toHaveLength(4); // header + 3 events
});
