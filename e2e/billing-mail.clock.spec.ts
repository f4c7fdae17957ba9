import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { captureStep } from "./support/journey";
import { setStripeClock, sql } from "./support/services";

// Moves the clocks: runs in the "clock" project, after every other spec (playwright.config.ts).
test.afterAll(async ({ request }) => {
  await request.post("/api/test/clock", { data: { reset: true } });
  await setStripeClock(new Date());
});

const DAY = 86_400_000;
/** As the mails state instants: "Apr 8, 2031, 00:00 UTC". */
function utc(at: Date): string {
  const date = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(at);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit" }).format(at);
  return `${date}, ${time} UTC`;
}

test("a trial's end is announced 3 days ahead, and a failed renewal mails the pause date and the date it returns to Free", async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000); // two clock jumps, each waiting for the emulator's webhooks to reach the outbox
  const email = uniqueEmail("mail-renewal");
  await signUp(page, email);
  await page.getByRole("button", { name: "Start 30-day trial of Pro" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  await page.getByLabel("Card number").fill("4000 0000 0000 0341"); // saved, but its charges fail
  await page.getByRole("button", { name: "Start trial" }).click();
  await page.waitForURL(/\/settings\/billing/);
  await expect(page.getByRole("region", { name: "Plan: Pro" })).toBeVisible();

  const outbox = async (subject: RegExp) => {
    const mail = page.getByRole("article").filter({ has: page.getByRole("heading", { name: subject }) });
    await expect(async () => {
      await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
      await expect(mail).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    return mail;
  };
  const moveClocks = async (to: Date) => {
    await page.request.post("/api/test/clock", { data: { set: to.toISOString() } });
    await setStripeClock(to);
  };

  // Two days before the trial ends: Stripe's trial_will_end (due 3 days before) has gone out.
  const start = Date.now();
  await moveClocks(new Date(start + 28 * DAY));
  const trial = await outbox(/^Your Pro trial ends on /);
  await expect(trial).toContainText("your card is charged $29.00 per month");

  // Past the trial's end: the first charge fails.
  await moveClocks(new Date(start + 31 * DAY));
  const failed = await outbox(/^Payment failed: \$29\.00 for Pro$/);
  const [row] = await sql<{ pastDueSince: Date }>(
    `SELECT w."pastDueSince" FROM "Workspace" w JOIN "Membership" m ON m."workspaceId" = w.id JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
    [email],
  );
  const since = row!.pastDueSince;
  await expect(failed).toContainText(
    `If the invoice is still unpaid on ${utc(new Date(since.getTime() + 7 * DAY))}, the workspace is paused`,
  );
  await expect(failed).toContainText(
    `If it is still unpaid on ${utc(new Date(since.getTime() + 30 * DAY))}, the workspace returns to the Free plan.`,
  );
  await expect(failed.getByRole("link", { name: /\/settings\/billing$/ })).toBeVisible();
  await captureStep(page, testInfo, "renewal-failed-mail");

  // Billing says the same, with the same dates, in the plan card.
  await page.goto("/settings/billing");
  const plan = page.getByRole("region", { name: "Plan: Pro" });
  await expect(plan.getByLabel("Plan status: Payment failed")).toBeVisible();
  const day = (at: Date) =>
    new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(at);
  await expect(plan).toContainText(`Everything keeps working until ${day(new Date(since.getTime() + 7 * DAY))}`);
  await expect(plan).toContainText(`returns to Free on ${day(new Date(since.getTime() + 30 * DAY))}`);
  await captureStep(page, testInfo, "renewal-failed-billing");
});
