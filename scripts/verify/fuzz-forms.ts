// Scenario 4, the forms: every form of the auth pages and of the signed-in settings pages driven in a
// real Chromium (server action ids change with each build, so they are reached through the page) with
// nasty values. The browser's own validation is switched off first (noValidate, no min/max/maxlength,
// number inputs as text), so the server sees the nasties. Checked: no response is a 5xx, no script of
// ours runs (no dialog opens), the page still renders, and the user's workspace balance is unchanged.
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../../e2e/support/browser.ts";
import type { Db } from "../../lib/db.ts";
import { ledgerSnapshot, sameSnapshot } from "./support.ts";

const NASTIES = [
  "",
  "<script>alert(1)</script><img src=x onerror=alert(2)>",
  "'; DROP TABLE \"User\"; --",
  "𝕮𝖗𝖊𝖉𝖎𝖙 🤖 مرحبا ‮\u0000",
  "-1e308",
  "NaN",
  "x".repeat(20_000),
];
const PASSWORD = "verify forms password";
const PAGES = [
  { path: "/signup", signedIn: false },
  { path: "/login", signedIn: false },
  { path: "/forgot-password", signedIn: false },
  { path: "/settings/api-keys", signedIn: true },
  { path: "/settings/account", signedIn: true },
  { path: "/settings/alerts", signedIn: true },
  { path: "/settings/members", signedIn: true },
];
/** Forms we do not submit: they end the session or delete things (their own tests cover them). */
const SKIP = /sign out|log out|delete|revoke|leave|remove|cancel|buy|upgrade|subscribe|manage billing/i;

export async function fuzzForms(baseUrl: string, db: Db, seed: number): Promise<{ submissions: number; fiveXX: number; problems: string[] }> {
  const { createAccount } = await import("../../lib/auth/signup.ts");
  const email = `verify-forms-${seed}-${process.pid}@example.test`;
  const { workspaceId } = await createAccount({ name: "Forms", email, password: PASSWORD }, { verified: true });
  const before = await ledgerSnapshot(db, [workspaceId]);
  const problems: string[] = [];
  let fiveXX = 0;
  let submissions = 0;
  let dialogs = 0;

  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ baseURL: baseUrl });
    const page = await context.newPage();
    page.on("dialog", (d) => {
      dialogs++;
      problems.push(`a dialog opened on ${page.url()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on("response", (r) => {
      if (r.status() >= 500) {
        fiveXX++;
        problems.push(`${r.request().method()} ${r.url()} → ${r.status()}`);
      }
    });
    /** Opens `path`, signing in first when the app sends us to the sign-in page. */
    const open = async (path: string, signedIn: boolean) => {
      await page.goto(path);
      if (signedIn && new URL(page.url()).pathname === "/login") {
        await signIn();
        await page.goto(path);
      }
    };
    const signIn = async () => {
      await page.goto("/login");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL("**/settings/**");
    };

    for (const target of PAGES) {
      if (!target.signedIn) await context.clearCookies();
      await open(target.path, target.signedIn);
      const formCount = await page.locator("form").count();
      for (let f = 0; f < formCount; f++) {
        const submit = page.locator("form").nth(f).locator('button[type="submit"], button:not([type])').first();
        if ((await submit.count()) === 0 || SKIP.test((await submit.textContent()) ?? "")) continue;
        for (const nasty of NASTIES) {
          if (!target.signedIn) await context.clearCookies();
          await open(target.path, target.signedIn);
          const form = page.locator("form").nth(f);
          if ((await form.count()) === 0) break;
          await form.evaluate((el) => {
            (el as HTMLFormElement).noValidate = true;
            for (const input of el.querySelectorAll("input, textarea")) {
              for (const a of ["maxlength", "minlength", "min", "max", "pattern", "required"]) input.removeAttribute(a);
              if (input instanceof HTMLInputElement && ["number", "email", "url"].includes(input.type)) input.type = "text";
            }
          });
          const fields = form.locator('input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="submit"]):not([disabled]), textarea');
          const n = await fields.count();
          for (let i = 0; i < n; i++) {
            const field = fields.nth(i);
            const type = await field.getAttribute("type");
            // The password fields keep a valid password on the sign-in form, so some submissions get past it.
            await field.fill(type === "password" && target.path === "/login" && nasty === "" ? PASSWORD : nasty);
          }
          submissions++;
          const posted = page.waitForResponse((r) => r.request().method() === "POST", { timeout: 10_000 }).catch(() => null);
          await form.locator('button[type="submit"], button:not([type])').first().click();
          await posted;
          await page.waitForLoadState("domcontentloaded");
          const text = (await page.locator("body").textContent({ timeout: 10_000 })) ?? "";
          if (/Application error|Internal Server Error/i.test(text)) problems.push(`${target.path} form ${f} with ${JSON.stringify(nasty.slice(0, 40))}: the page shows an error`);
        }
      }
    }
    await context.close();
  } finally {
    await browser.close();
  }
  const after = await ledgerSnapshot(db, [workspaceId]);
  if (!sameSnapshot(before, after)) problems.push(`the forms changed the balance: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  if (dialogs > 0) problems.push(`${dialogs} script dialogs opened (XSS)`);
  return { submissions, fiveXX, problems };
}

