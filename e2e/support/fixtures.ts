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

/** The operator the demo seeds (DEMO_MODE). */
export const ADMIN = { email: "admin@creditbook.dev", password: "creditbook-admin" };

/** Signs in through the login form and lands on the portal's billing page. */
export async function signIn(page: Page, credentials: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/settings/billing");
}

/**
 * Signs up through the form, signs in and lands on the billing page; then, unless `verify: false`, verifies the
 * address as a newcomer would — the link in the demo outbox (/dev/mail), then "Confirm my email" — which
 * grants the 300 sign-up bonus (Free: 400 credits to start).
 */
export async function signUp(page: Page, email: string, name = "E2E User", options: { verify?: boolean } = {}) {
  await page.goto("/signup");
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Sign-up answers "check your inbox" whoever owns the address; a new account may sign in at once.
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  // Signed in over HTTP as the login form would (next-auth's credentials callback; the cookie lands in
  // this page's context): the login page itself is covered by its own specs.
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signedIn = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password: PASSWORD, json: "true" },
  });
  expect(signedIn.ok(), `signing in ${email}`).toBe(true);
  await page.goto("/settings/billing");
  if (options.verify !== false) await verifyEmail(page, email);
}

/** The newest link of a mail to `email` in the demo outbox whose path contains `path`, followed. */
export async function followMailedLink(page: Page, email: string, path: "/verify-email/" | "/reset-password/") {
  await page.goto(`/dev/mail?to=${encodeURIComponent(email)}`);
  const link = page.getByRole("link", { name: new RegExp(path) }).first();
  // The reset mail goes out just after the form answers: reload until it is there.
  await expect(async () => {
    if ((await link.count()) === 0) {
      await page.reload();
      throw new Error(`no ${path} link for ${email} yet`);
    }
  }).toPass({ timeout: 10_000 });
  await link.click();
  await page.waitForURL(`**${path}**`);
}

/** Follows the verification link from the outbox and confirms: back on billing with the bonus. */
export async function verifyEmail(page: Page, email: string) {
  await followMailedLink(page, email, "/verify-email/");
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.waitForURL("**/settings/billing?verified=*");
}
