import type { Page } from "@playwright/test";
import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

async function createKey(page: Page, name: string): Promise<string> {
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  return page.getByLabel("New API key").inputValue();
}

test("an owner gives a key a daily budget; past it the key is refused with the budget named, and the bar shows it spent", async ({
  page,
}) => {
  const email = uniqueEmail("budget-owner");
  await signUp(page, email);
  const secret = await createKey(page, "Render farm");
  await page.reload();
  const key = page.getByRole("group", { name: "Budget of Render farm" });
  await expect(key).toContainText("No budget");

  await key.getByRole("button", { name: "Set budget for Render farm" }).click();
  await key.getByLabel("Budget of Render farm", { exact: true }).fill("3");
  await key.getByLabel("Period (UTC)").selectOption("day");
  await key.getByLabel("At the limit").selectOption("hard");
  await key.getByRole("button", { name: "Save budget for Render farm" }).click();
  await expect(key).toContainText("Budget: 0 of 3 credits today");
  await expect(key).toContainText("Calls stop at the limit");
  await expect(key).toContainText(/3 left · resets .+ 00:00 UTC/);

  const track = (n: number) =>
    page.request.post("/api/v1/track", {
      headers: { authorization: `Bearer ${secret}` },
      data: { action: "aria.chat", idempotency_key: `budget-e2e-${n}` },
    });
  for (let n = 0; n < 3; n++) expect((await track(n)).status()).toBe(201);
  const refused = await track(3);
  expect(refused.status()).toBe(402);
  const body = (await refused.json()) as {
    error: { code: string; message: string; actionable_next_step: string; budget: { scope: string; spent: number; limit: number } };
  };
  expect(body.error).toMatchObject({ code: "budget_exceeded", budget: { scope: "api_key", spent: 3, limit: 3 } });
  expect(body.error.message).toBe("This API key's daily budget of 3 credits would be passed: 3 spent, 0 left, and this call needs 1.");
  expect(body.error.actionable_next_step).toMatch(
    /^Nothing was charged\. Wait until the budget resets \(.+\) or ask a workspace owner to raise it \(Settings → API keys\)\.$/,
  );

  // The refusal is in the usage history, with the budget that refused it; "Refused" filters to such calls.
  await page.getByRole("link", { name: "Usage" }).click();
  await page.getByLabel("Status").selectOption({ label: "Refused" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=rejected/);
  const rows = page.getByRole("table", { name: "Usage events, newest first" }).getByRole("row");
  await expect(rows).toHaveCount(2); // the header and the one refused call
  await expect(rows.nth(1)).toContainText("Refused: the API key's daily budget was spent");

  // Billing reads the balance, which evaluates every limit: the key budget's alert fires.
  await page.getByRole("link", { name: /^Billing/ }).click();
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(key).toContainText("Budget: 3 of 3 credits today");
  await expect(key.getByRole("progressbar", { name: "Budget of Render farm used" })).toHaveAttribute("aria-valuenow", "3");
  await expect(key).toContainText("0 left");

  // Raised: the same call goes through (a refusal bound nothing, not even its idempotency key).
  await key.getByRole("button", { name: "Change budget for Render farm" }).click();
  await key.getByLabel("Budget of Render farm", { exact: true }).fill("10");
  await key.getByRole("button", { name: "Save budget for Render farm" }).click();
  await expect(key).toContainText("Budget: 3 of 10 credits today");
  expect((await track(3)).status()).toBe(201);

  // The alert fired when the budget was spent (the portal read evaluates it) and resolved when it was
  // raised: one mail for each edge, and the history on Settings → Alerts says both.
  await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
  await expect(page.getByText(/: 100% of the daily budget of API key “Render farm” used$/)).toHaveCount(1);
  await expect(page.getByText(/: resolved — 100% of the daily budget of API key “Render farm”$/)).toHaveCount(1);
  await expect(page.getByText("has resolved: the limit changed.", { exact: false })).toHaveCount(1);
  await page.goto("/settings/alerts");
  const history = page.getByRole("region", { name: "Recent alerts" }).getByRole("listitem");
  await expect(history.filter({ hasText: "100% of the daily budget of API key “Render farm”" })).toContainText("Resolved");
  await expect(history.filter({ hasText: "100% of the daily budget of API key “Render farm”" })).toContainText("the limit changed");
  await page.getByRole("link", { name: "API keys" }).click();

  // A bad amount is explained next to the field; removing the budget lifts the limit.
  await key.getByRole("button", { name: "Change budget for Render farm" }).click();
  await key.getByLabel("Budget of Render farm", { exact: true }).fill("lots");
  await key.getByRole("button", { name: "Save budget for Render farm" }).click();
  await expect(key.getByRole("alert")).toHaveText("Use a whole number.");
  await key.getByRole("button", { name: "Cancel" }).click();
  await key.getByRole("button", { name: "Remove budget for Render farm" }).click();
  await expect(key).toContainText("No budget");
});

test("a member sees their own budget and what is left; the workspace budget is a share of the allowance", async ({
  page,
  browser,
}, testInfo) => {
  const ownerEmail = uniqueEmail("budget-ws-owner");
  await signUp(page, ownerEmail, "Budget Owner");
  const mateEmail = uniqueEmail("budget-mate");
  const mateContext = await browser.newContext(testInfo.project.use);
  const mate = await mateContext.newPage();
  await signUp(mate, mateEmail, "Budget Mate");
  // Setup only (inviting is covered by teams.spec.ts): the teammate joins the owner's workspace.
  await sql(
    `INSERT INTO "Membership" (id, "workspaceId", "userId", role, "createdAt")
     SELECT 'mship-' || md5(random()::text), m."workspaceId", (SELECT id FROM "User" WHERE email = $2), 'MEMBER', now()
       FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1 AND m.role = 'OWNER'`,
    [ownerEmail, mateEmail],
  );

  await page.getByRole("link", { name: "Members" }).click();
  const budget = page.getByRole("group", { name: `Budget of ${mateEmail}` });
  await budget.getByRole("button", { name: `Set budget for ${mateEmail}` }).click();
  await budget.getByLabel(`Budget of ${mateEmail}`, { exact: true }).fill("50");
  await budget.getByLabel("Period (UTC)").selectOption("month");
  await budget.getByRole("button", { name: `Save budget for ${mateEmail}` }).click();
  await expect(budget).toContainText("Budget: 0 of 50 credits this month");

  await mate.goto("/settings/members");
  await mate.getByRole("combobox", { name: "Workspace" }).selectOption({ label: "Budget Owner's workspace (member)" });
  const own = mate.getByRole("group", { name: "Budget of you" });
  await expect(own).toContainText("Budget: 0 of 50 credits this month");
  await expect(own).toContainText("50 left");
  await expect(own.getByRole("button")).toHaveCount(0); // members read it; owners change it
  await expect(mate.getByRole("group", { name: `Budget of ${ownerEmail}` })).toHaveCount(0); // and only their own
  await mateContext.close();

  // The workspace's own budget on Billing, as 80 % of the Free plan's 100-credit allowance.
  await page.getByRole("link", { name: "Billing" }).click();
  const ws = page.getByRole("group", { name: "Budget of the workspace" });
  await ws.getByRole("button", { name: "Set budget for the workspace" }).click();
  await ws.getByLabel("Budget of the workspace", { exact: true }).fill("80");
  await ws.getByLabel("In").selectOption("percent");
  await ws.getByRole("button", { name: "Save budget for the workspace" }).click();
  await expect(ws).toContainText("Budget: 0 of 80 credits this month (80% of the allowance)");
});
