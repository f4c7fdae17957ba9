import { expect, signUp, test, uniqueEmail } from "./support/fixtures";
import { captureStep } from "./support/journey";

// Billing mail in the demo outbox (/dev/mail): a usage notice, and its unsubscribe link.
test("an 80 % crossing mails the owner, and the mail's link unsubscribes them from usage notices", async ({ page }, testInfo) => {
  const email = uniqueEmail("mail-80");
  await signUp(page, email); // Free: 100 credits a month; alerts at 80 and 100 % by default
  const spent = await page.request.post("/api/test/usage", { data: { email, action: "sonic.analysis", quantity: 16 } }); // 80 credits
  expect(spent.status()).toBe(200);
  await page.reload(); // the billing page's balance read detects the crossing
  await expect(page.getByRole("status").filter({ hasText: /used 80% of your Free allowance/ })).toBeVisible();

  await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
  const mail = page.getByRole("article").filter({ has: page.getByRole("heading", { name: /80% of your Free credits used$/ }) });
  await expect(mail).toHaveCount(1);
  await expect(mail).toContainText("has used 80% of its Free allowance this period (80 of 100 credits)");
  await expect(mail).toContainText(/The allowance resets on [A-Z][a-z]{2} 1, \d{4}, 00:00 UTC\./);
  await expect(mail.getByRole("link", { name: /\/settings\/billing$/ })).toBeVisible();
  await captureStep(page, testInfo, "usage-80-mail");

  await mail.getByRole("link", { name: /\/mail\/unsubscribe\?/ }).click();
  await expect(page.getByRole("heading", { name: "Usage notices" })).toBeVisible();
  await page.getByRole("button", { name: "Unsubscribe from usage notices" }).click();
  await expect(page.getByRole("status")).toHaveText(`${email} no longer gets usage notices.`);

  await page.goto("/settings/account");
  await expect(page.getByRole("checkbox", { name: /Usage notices/ })).not.toBeChecked();
});
