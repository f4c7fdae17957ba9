// Scenario 7 — security basics, each checked against the running app and its database:
// passwords hashed with argon2id, API keys stored as SHA-256 only, the session cookie httpOnly +
// sameSite (+ Secure in production behind an https NEXTAUTH_URL: a second instance started that way),
// cross-site state changes refused, security headers on pages, sign-in throttled after N bad passwords.
import { createHash } from "node:crypto";
import path from "node:path";
import { signIn } from "../app-harness.ts";
import type { Db } from "../../lib/db.ts";
import { AppProcess } from "./stack.ts";
import { bearer, isErrorShape, jsonRequest, readBody, type Outcome, type Target } from "./support.ts";

export type SecurityOptions = { target: Target; baseUrl: string; db: Db; work: string; port: number; env: Record<string, string> };

type Check = { name: string; ok: boolean; detail: string };

/** Signs in over HTTP like the browser does and returns the raw Set-Cookie lines of the answer. */
async function signInCookies(base: string, credentials: { email: string; password: string }): Promise<string[]> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers
    .getSetCookie()
    .map((l) => l.split(";")[0])
    .join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ ...credentials, csrfToken, json: "true" }),
  });
  return res.headers.getSetCookie();
}

const sessionLine = (lines: string[]) => lines.find((l) => /next-auth\.session-token=/.test(l));

export async function runSecurity(o: SecurityOptions): Promise<Outcome> {
  const { createAccount } = await import("../../lib/accounts/signup.ts");
  const { createApiKey } = await import("../../lib/metering/keys.ts");
  const { SIGN_IN_LIMITS } = await import("../../lib/auth/throttle.ts");
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const stamp = `${Date.now()}-${process.pid}`;
  const credentials = { email: `verify-sec-${stamp}@example.test`, password: "verify security password" };
  const account = await createAccount({ name: "Security", ...credentials }, { verified: true });

  // 1. Passwords: argon2id, never the password itself, for every user.
  const users = await o.db.user.findMany({ where: { passwordHash: { not: null } }, select: { email: true, passwordHash: true } });
  const mine = users.find((u) => u.email === credentials.email)?.passwordHash ?? "";
  const notArgon = users.filter((u) => !u.passwordHash!.startsWith("$argon2id$"));
  check(
    "passwords hashed",
    mine.startsWith("$argon2id$") && !mine.includes(credentials.password) && notArgon.length === 0,
    `${users.length} users, all argon2id: ${notArgon.length === 0 ? "yes" : `no (${notArgon.length})`}`,
  );

  // 2. API keys: only SHA-256 of the secret is stored, and the key still works.
  const { key, client } = await createApiKey({ kind: "WORKSPACE", workspaceId: account.workspaceId, name: "security" });
  const row = await o.db.apiClient.findUniqueOrThrow({ where: { id: client.id } });
  const rowText = JSON.stringify(row);
  const keys = await o.db.apiClient.findMany({ select: { secretHash: true } });
  const works = (await o.target.fetch("/api/v1/balance", { headers: bearer(key) })).status === 200;
  check(
    "API keys hashed",
    row.secretHash === createHash("sha256").update(key).digest("hex") &&
      !rowText.includes(key.slice(key.length - 20)) &&
      keys.every((k) => /^[0-9a-f]{64}$/.test(k.secretHash)) &&
      works,
    `${keys.length} keys stored as SHA-256 hex, secret not stored, key authenticates: ${works ? "yes" : "no"}`,
  );

  // 3. The session cookie, on this (http) instance and on a production one behind an https URL.
  const plain = sessionLine(await signInCookies(o.baseUrl, credentials)) ?? "";
  const prod = new AppProcess(
    "https-prod",
    o.port,
    { ...o.env, NEXTAUTH_URL: `https://127.0.0.1:${o.port}` },
    path.join(o.work, "https-prod.log"),
    false,
  );
  let secure = "";
  try {
    await prod.start();
    secure = sessionLine(await signInCookies(prod.url, credentials)) ?? "";
  } finally {
    await prod.stop();
  }
  const flags = (l: string) => ({
    httpOnly: /;\s*HttpOnly/i.test(l),
    lax: /;\s*SameSite=(Lax|Strict)/i.test(l),
    secure: /;\s*Secure/i.test(l),
  });
  const p = flags(plain);
  const s = flags(secure);
  check(
    "session cookie",
    Boolean(plain) && p.httpOnly && p.lax && Boolean(secure) && s.httpOnly && s.lax && s.secure && secure.startsWith("__Secure-"),
    `http: HttpOnly ${p.httpOnly}, SameSite ${p.lax}; production + https NEXTAUTH_URL: ${secure.split("=")[0] || "none"} HttpOnly ${s.httpOnly}, SameSite ${s.lax}, Secure ${s.secure}`,
  );

  // 4. CSRF: a signed-in state change from another origin (or a cross-site fetch without Origin) is refused.
  const cookie = await signIn(o.baseUrl, credentials);
  const checkout = (headers: Record<string, string>) =>
    o.target.fetch("/api/stripe/create-checkout", jsonRequest("POST", { pack_id: "starter_1000" }, { cookie, ...headers }));
  const evil = await checkout({ origin: "https://evil.example" });
  const crossSite = await checkout({ "sec-fetch-site": "cross-site" });
  const evilBody = await readBody(evil);
  await readBody(crossSite);
  const same = await checkout({ origin: new URL(o.baseUrl).origin });
  await readBody(same);
  const forgedLogin = await fetch(`${o.baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...credentials, csrfToken: "forged", json: "true" }),
  });
  const forgedSession = sessionLine(forgedLogin.headers.getSetCookie());
  check(
    "CSRF",
    evil.status === 403 && isErrorShape(evilBody) && crossSite.status === 403 && same.status !== 403 && !forgedSession,
    `cross-origin POST ${evil.status}, cross-site without Origin ${crossSite.status}, same origin ${same.status}, sign-in with a forged CSRF token: ${forgedSession ? "SIGNED IN" : "refused"}`,
  );

  // 5. Security headers on pages.
  const missing: string[] = [];
  for (const page of ["/", "/pricing", "/login", "/settings/billing"]) {
    const res = await fetch(`${o.baseUrl}${page}`, { headers: { cookie }, redirect: "manual" });
    await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    if (!/frame-ancestors 'none'/.test(csp)) missing.push(`${page}: CSP frame-ancestors`);
    if (!/script-src[^;]*'nonce-/.test(csp)) missing.push(`${page}: CSP script nonce`);
    if (!res.headers.get("referrer-policy")) missing.push(`${page}: Referrer-Policy`);
    if (res.headers.get("x-content-type-options") !== "nosniff") missing.push(`${page}: X-Content-Type-Options`);
    if (res.headers.get("x-frame-options") !== "DENY") missing.push(`${page}: X-Frame-Options`);
  }
  check(
    "security headers",
    missing.length === 0,
    missing.length
      ? `missing: ${missing.join(", ")}`
      : "CSP (nonce, frame-ancestors 'none'), Referrer-Policy, X-Frame-Options, nosniff on 4 pages",
  );

  // 6. Sign-in throttling: after the limit of bad passwords, even the right password is refused.
  const victim = { email: `verify-throttle-${stamp}@example.test`, password: "verify throttle password" };
  await createAccount({ name: "Throttle", ...victim }, { verified: true });
  let refusedBad = 0;
  for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++)
    if (!sessionLine(await signInCookies(o.baseUrl, { email: victim.email, password: `wrong ${i}` }))) refusedBad++;
  const afterLimit = sessionLine(await signInCookies(o.baseUrl, victim));
  check(
    "login throttling",
    refusedBad === SIGN_IN_LIMITS.perEmail && !afterLimit,
    `${refusedBad} bad passwords, then the right one: ${afterLimit ? "SIGNED IN" : "refused (throttled)"}`,
  );

  return {
    did: `${checks.length} checks: ${checks.map((c) => c.name).join(", ")}`,
    figures: checks.map((c) => `${c.name} ${c.ok ? "ok" : "FAIL"}`).join("; "),
    ok: checks.every((c) => c.ok),
    problems: checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`),
    notes: checks.map((c) => `${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}`),
  };
}
