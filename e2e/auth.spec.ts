import { expect, PASSWORD, signUp, test, uniqueEmail } from "./support/fixtures";

test.describe("sign-up with bad input", () => {
  test("shows a clear message for each field and creates nothing", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
    await expect(page.getByText("Use at least 10 characters for your password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/signup$/);

    // The same address can then be used: nothing was created by the failed attempt.
    const email = uniqueEmail("fixed");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(email);
    await page.getByRole("link", { name: "Sign in" }).first().click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/settings/billing");
    // The plan's 100 now; the 300 bonus once the address is verified.
    await expect(page.getByRole("group", { name: "Credits remaining" })).toContainText("100");
    await expect(page.getByRole("region", { name: "Email verification" })).toContainText("Verify your email to get 300 bonus credits.");
  });

  test("answers an email that is already registered exactly as a new one, and tells its owner by mail", async ({ browser }) => {
    const email = uniqueEmail("taken");
    const first = await browser.newPage();
    await signUp(first, email, "First", { verify: false });
    await first.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email.toUpperCase());
    await page.getByLabel("Password").fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    // The same words as for a new address: nothing says this one has an account.
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(`We sent a message to ${email}.`);
    await expect(page.getByText(/already exists|already registered/i)).toHaveCount(0);
    // The real owner learns of it.
    await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
    await expect(page.getByText("You already have a Creditbook account").first()).toBeVisible();
    // And the other password does not open the account.
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("another long password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await context.close();
  });
});

test.describe("sign-in", () => {
  // The browser logs the 401 of the refused sign-in request.
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test("a wrong password is refused with a generic message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("demo@creditbook.dev");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });
});
