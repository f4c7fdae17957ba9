import { test as base, expect, type Page } from "@playwright/test";
import { randomInt, randomUUID } from "node:crypto";

type Fixtures = {
  /** Console errors a test expects (e.g. the 404 of a missing page); any other one fails the test. */
  allowedConsoleErrors: RegExp[];
};

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  page: async ({ page, allowedConsoleErrors }, use) => {
    // Each test comes from its own address, as separate users would: the per-IP sign-up and sign-in
    // limits (20 sign-ups an hour) then hold for the suite as they do in production.
    await page.context().setExtraHTTPHeaders({ "x-forwarded-for": `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}` });
    const errors: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error" && !allowedConsoleErrors.some((re) => re.test(msg.text()))) errors.push(msg.text());
    });
    page.on("pageerror", (err) => errors.push(err.message));
    const serverErrors: string[] = [];
    page.on("response", (res) => {
      if (res.status() >= 500) serverErrors.push(`${res.status()} ${res.url()}`);
    });
    await use(page);
    // Every test fails on a 5xx or an unexpected console error, whatever it asserted itself.
    expect(serverErrors, "server errors").toEqual([]);
    expect(errors, "console errors").toEqual([]);
  },
});

export { expect };

export function uniqueEmail(tag: string): string {
  return `${tag}-${randomUUID().slice(0, 8)}@e2e.test`;
}

export const PASSWORD = "a long enough password";

/** Signs up through the form and lands on the billing page. */
export async function signUp(page: Page, email: string, name = "E2E User") {
  await page.goto("/signup");
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/settings/billing");
}
