// Scenario 4, the forms: every form of the auth pages and of the signed-in settings pages driven in a
// real Chromium (server action ids change with each build, so they are reached through the page) with
// nasty values. The browser's own validation is switched off first (noValidate, no min/max/maxlength,
// number inputs as text), so the server sees the nasties. Checked: no response is a 5xx, no script of
// ours runs (no dialog opens), the page still renders, and the user's workspace balance is unchanged.
// Then every server action directly over HTTP (fuzzActions), forms up to 2 MB.
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../../e2e/support/browser.ts";
import { signIn } from "../app-harness.ts";
import type { Db } from "../../lib/db.ts";
import { ledgerSnapshot, sameSnapshot, type Target } from "./support.ts";

const NASTIES = [
  "",
  "<script>alert(1)</script><img src=x onerror=alert(2)>",
  '\'; DROP TABLE "User"; --',
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

export async function fuzzForms(
  baseUrl: string,
  db: Db,
  seed: number,
): Promise<{ submissions: number; fiveXX: number; problems: string[] }> {
  const { createAccount } = await import("../../lib/accounts/signup.ts");
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
          const fields = form.locator(
            'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="submit"]):not([disabled]), textarea',
          );
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
          if (/Application error|Internal Server Error/i.test(text))
            problems.push(`${target.path} form ${f} with ${JSON.stringify(nasty.slice(0, 40))}: the page shows an error`);
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

/** Values for every field of every server action's form; the last two make forms of about 1 and 2 MB. */
const ACTION_NASTIES = [...NASTIES, "9".repeat(400), "-0", "x".repeat(900 * 1024), "y".repeat(2 * 1024 * 1024)];

/**
 * Every server action of the build (the authorization matrix's rows: scripts/verify/authz-matrix.ts)
 * posted over HTTP the way Next's client does, with every field of its form set to each nasty value (up
 * to a 2 MB form), as a visitor, as a workspace owner and as an operator. Checked: no 5xx, and the
 * owner's balance is unchanged (the operator's credit adjustment aims at it).
 */
export async function fuzzActions(o: {
  target: Target;
  baseUrl: string;
  db: Db;
  seed: number;
}): Promise<{ calls: number; fiveXX: number; byStatus: string; problems: string[] }> {
  const { createAccount } = await import("../../lib/accounts/signup.ts");
  const { createApiKey } = await import("../../lib/metering/keys.ts");
  const { ACTIONS } = await import("./authz-matrix.ts");
  const { actionIds, postAction } = await import("./authz.ts");
  const problems: string[] = [];
  const stamp = `${o.seed}-${process.pid}`;
  const owner = await createAccount(
    { name: "Action fuzz", email: `verify-actions-owner-${stamp}@example.test`, password: PASSWORD },
    { verified: true },
  );
  const operator = await createAccount(
    { name: "Action fuzz operator", email: `verify-actions-operator-${stamp}@example.test`, password: PASSWORD },
    { verified: true },
  );
  await o.db.user.update({ where: { id: operator.userId }, data: { isAdmin: true } });
  const { client } = await createApiKey({ kind: "WORKSPACE", workspaceId: owner.workspaceId, name: "action fuzz" });
  const callers = [
    { name: "visitor", cookie: undefined },
    { name: "owner", cookie: await signIn(o.baseUrl, { email: `verify-actions-owner-${stamp}@example.test`, password: PASSWORD }) },
    { name: "operator", cookie: await signIn(o.baseUrl, { email: `verify-actions-operator-${stamp}@example.test`, password: PASSWORD }) },
  ];
  const noFixture = () => Promise.reject(new Error("not used by actions"));
  const fixture = {
    W: owner.workspaceId,
    keyId: client.id,
    revokedKeyId: client.id,
    memberMembershipId: "none",
    invitationIds: ["none", "none"] as [string, string],
    eventId: noFixture,
    reservationId: noFixture,
  };
  const before = await ledgerSnapshot(o.db, [owner.workspaceId]);
  const ids = actionIds();
  const statuses = new Map<number, number>();
  let calls = 0;
  let fiveXX = 0;
  let dropped = 0;
  for (const [name, cases] of Object.entries(ACTIONS)) {
    const id = ids.get(name);
    if (!id) continue;
    // Session-ending actions (sign out everywhere, leave) would end the callers' sessions: their own rows cover them.
    for (const c of cases.filter((x) => !x.last)) {
      const fields = c.noForm ? null : (c.form?.(fixture) ?? {});
      for (const nasty of ACTION_NASTIES) {
        // The rendered-workspace field stays W's, so the nasties reach past that check.
        const form = fields && Object.fromEntries(Object.keys(fields).map((k) => [k, k === "workspaceId" ? owner.workspaceId : nasty]));
        const args = (c.bound?.(fixture) ?? []).map((a) => (typeof a === "string" && a !== owner.workspaceId ? nasty.slice(0, 2000) : a));
        for (const caller of callers) {
          calls++;
          let res: Response;
          try {
            res = await postAction(
              o.target,
              o.baseUrl,
              { id, page: c.page, args, form: form ?? undefined },
              caller.cookie ? { cookie: caller.cookie } : {},
            );
            await res.arrayBuffer();
          } catch (err) {
            // Over 1 MB the server answers 413 without reading the form and closes the connection, which
            // may reach the sender while it is still uploading; anything else is a failure.
            if (form && Object.values(form).reduce((n, v) => n + v.length, 0) > 1024 * 1024) dropped++;
            else if (problems.length < 20)
              problems.push(
                `${name.split("#")[1]} as ${caller.name} with ${nasty.length} chars: ${err instanceof Error ? err.message : String(err)}`,
              );
            continue;
          }
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) {
            fiveXX++;
            if (problems.length < 20)
              problems.push(
                `${name.split("#")[1]} as ${caller.name} with ${JSON.stringify(nasty.slice(0, 30))} (${nasty.length} chars) → ${res.status}`,
              );
          }
        }
      }
    }
  }
  const after = await ledgerSnapshot(o.db, [owner.workspaceId]);
  if (!sameSnapshot(before, after))
    problems.push(`fuzzed server actions changed the owner's balance: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  if (calls === 0) problems.push("no server action was called (no action ids in the build's manifest?)");
  const byStatus = [
    ...[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`),
    ...(dropped ? [`closed at 413 while uploading ×${dropped}`] : []),
  ].join(" ");
  return { calls, fiveXX, byStatus, problems };
}
