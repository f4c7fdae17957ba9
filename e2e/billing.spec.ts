import { expect, signUp, test, uniqueEmail } from "./support/fixtures";

/** The next 1st of the month, 00:00 UTC, after `now`. */
function nextReset(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

test("a new user signs up, sees 400 credits and the reset date, then their usage; the demo user signs in", async ({ page }) => {
  const email = uniqueEmail("newcomer");
  await signUp(page, email);

  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Plan: Free" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("400");
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("0");

  // The reset date: next 1st 00:00 UTC, shown in the viewer's zone (America/New_York) and in UTC.
  const clock = await (await page.request.get("/api/test/clock")).json();
  const reset = nextReset(new Date(clock.now));
  const resets = page.getByRole("group", { name: "Resets" });
  const utc = `${new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(reset)}, 00:00 UTC`;
  await expect(resets).toContainText(utc);
  const local = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", month: "short", day: "numeric", year: "numeric" }).format(
    new Date(reset.getTime() - 1),
  );
  await expect(resets.locator("time")).toContainText(local);
  await expect(resets.locator("time")).toHaveAttribute("title", utc);
  await expect(page.getByRole("progressbar", { name: "Monthly allowance used" })).toHaveAttribute("aria-valuenow", "0");

  // The AI product records a 5-credit sonic analysis; the panel shows it after a reload.
  const usage = await page.request.post("/api/test/usage", { data: { email, action: "sonic.analysis" } });
  expect(usage.status()).toBe(200);
  await page.reload();
  await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("395");
  await expect(page.getByRole("group", { name: "Used this period" })).toContainText("5");
  const sonic = page.getByRole("row", { name: /Sonic analysis/ });
  await expect(sonic.getByRole("cell").last()).toHaveText("5");
  await expect(
    page
      .getByRole("row", { name: /Aria chat/ })
      .getByRole("cell")
      .last(),
  ).toHaveText("0");
  await expect(page.getByRole("progressbar", { name: "Monthly allowance used" })).toHaveAttribute("aria-valuenow", "5");

  // Log out, then in as the seeded demo user. From the click on, the page's live queries are held
  // (the balance polls every 3 s): while the sign-out is under way — held here 4 s — none is sent,
  // so none can come back 401 once the session cookie is gone.
  let signingOut = false;
  let pollsAfterSignOut = 0;
  page.on("request", (r) => {
    if (r.url().includes("/api/auth/signout")) signingOut = true;
    else if (signingOut && r.url().includes("/api/workspace/balance")) pollsAfterSignOut++;
  });
  await page.route("**/api/auth/signout", async (route) => {
    await page.waitForRequest("**/api/workspace/balance", { timeout: 4_000 }).catch(() => null);
    await route.continue();
  });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  expect(pollsAfterSignOut).toBe(0);
  await expect(page.getByText("Demo mode")).toBeVisible();
  await page.getByLabel("Email").fill("demo@creditbook.dev");
  await page.getByLabel("Password").fill("creditbook-demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/settings/billing");
  await expect(page.getByText("AI credit usage for Demo Label.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Plan: Pro" })).toBeVisible();
  // The demo month is seeded with usage in every category.
  for (const category of ["Aria chat", "Sonic analysis", "Image generation", "Video generation", "MCP tool calls", "Other"]) {
    await expect(
      page
        .getByRole("row", { name: new RegExp(category) })
        .getByRole("cell")
        .last(),
    ).not.toHaveText("0");
  }
});

test("the billing page requires a session", async ({ page }) => {
  await page.goto("/settings/billing");
  await page.waitForURL(/\/login\?callbackUrl=%2Fsettings%2Fbilling/);
  await expect(page.getByRole("heading", { name: "Sign in to Creditbook" })).toBeVisible();
});
