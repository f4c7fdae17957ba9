// Scenario 8 — the holes found by probing the product as an attacker would (issue 19), checked over HTTP
// against the running app so that the class cannot come back unnoticed:
// - redirects: every redirect the app issues for a hostile callbackUrl (login page, next-auth's
//   callback) stays on the app's origin; an unparseable one is a 400;
// - sign-out: a session cookie saved before signing out (and before "sign out everywhere") is refused;
// - invitations: the open invitations of an owner who was removed or demoted are dead;
// - input: signed Stripe webhooks that are not events, JSON nested too deep, a server action over 1 MB:
//   each a 4xx in the error shape, never a 5xx;
// - CSV: the usage and ledger CSVs of a workspace fed hostile subjects and reasons are parsed with a real
//   CSV parser (csv-parse): the row count equals the events, and no cell is one a spreadsheet would run.
import { parse } from "csv-parse/sync";
import Stripe from "stripe";
import { signIn } from "../app-harness.ts";
import type { Db } from "../../lib/db.ts";
import { bearer, isErrorShape, jsonRequest, readBody, type Outcome, type Target } from "./support.ts";

export type ProbeOptions = { target: Target; baseUrl: string; db: Db; webhookSecret: string };

type Check = { name: string; ok: boolean; detail: string; requests: number };

const HOSTILE_CALLBACKS = [
  "/%5Cevil.example/",
  "/\\evil.example/",
  "//evil.example/",
  "///evil.example",
  "/\t/evil.example",
  "/%2F%2Fevil.example",
  "/%09/evil.example",
  "http://evil.example/",
  "https:evil.example",
  "javascript:alert(1)",
  " //evil.example",
];

const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell a spreadsheet would run: starts like a formula and is not a plain number (ledger credits are signed). */
const runsAsFormula = (cell: string) => FORMULA_START.test(cell) && !/^-?\d+$/.test(cell);

export async function runProbes(o: ProbeOptions): Promise<Outcome> {
  const { createAccount } = await import("../../lib/accounts/signup.ts");
  const { createApiKey } = await import("../../lib/metering/keys.ts");
  const { createInvitation, acceptInvitation } = await import("../../lib/teams/invitations.ts");
  const { changeRole, removeMember } = await import("../../lib/teams/members.ts");
  const checks: Check[] = [];
  let fiveXx = 0;
  const fetchApp = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${o.baseUrl}${path}`, { redirect: "manual", ...init });
    if (res.status >= 500) fiveXx++;
    return res;
  };
  const stamp = `${Date.now()}-${process.pid}`;
  const account = async (tag: string) => {
    const credentials = { email: `verify-probe-${tag}-${stamp}@example.test`, password: "verify probe password" };
    return { ...credentials, ...(await createAccount({ name: tag, ...credentials }, { verified: true })) };
  };
  const origin = new URL(o.baseUrl).origin;

  // 1. Redirects stay on the origin.
  {
    const owner = await account("redirect");
    const cookie = await signIn(o.baseUrl, owner);
    const leaks: string[] = [];
    let requests = 0;
    for (const callbackUrl of HOSTILE_CALLBACKS) {
      const res = await fetchApp(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`, { headers: { cookie } });
      requests++;
      await res.text();
      const location = res.headers.get("location") ?? "";
      if (res.status !== 307 || new URL(location, o.baseUrl).origin !== origin || /\\|evil/.test(location))
        leaks.push(`${JSON.stringify(callbackUrl)} → ${res.status} ${location}`);
    }
    const csrf = await fetchApp("/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = csrf.headers
      .getSetCookie()
      .map((l) => l.split(";")[0])
      .join("; ");
    for (const callbackUrl of [`${o.baseUrl}.evil.example/`, "http://evil.example/", "/\\evil.example"]) {
      const res = await fetchApp("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar, origin },
        body: new URLSearchParams({ csrfToken, email: owner.email, password: "wrong password", callbackUrl, json: "true" }),
      });
      requests++;
      const body = await res.text();
      const location = res.headers.get("location") ?? "";
      if (res.status >= 500 || /evil/.test(location) || (res.status < 400 && /evil/.test(body)))
        leaks.push(`callback ${callbackUrl} → ${res.status} ${location}`);
    }
    checks.push({
      name: "redirects",
      ok: leaks.length === 0,
      detail: leaks.length ? leaks.join("; ") : `${requests} hostile targets, every redirect on ${origin}`,
      requests,
    });
  }

  // 2. Sign-out ends the session on the server.
  {
    const user = await account("signout");
    const cookie = await signIn(o.baseUrl, user);
    const before = (await fetchApp("/api/workspace/balance", { headers: { cookie } })).status;
    const csrf = await fetchApp("/api/auth/csrf", { headers: { cookie } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf.headers
      .getSetCookie()
      .map((l) => l.split(";")[0])
      .join("; ");
    await fetchApp("/api/auth/signout", {
      method: "POST",
      headers: { cookie: `${cookie}; ${csrfCookie}`, "content-type": "application/x-www-form-urlencoded", origin },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    const after = (await fetchApp("/api/workspace/balance", { headers: { cookie } })).status;
    const page = await fetchApp("/settings/billing", { headers: { cookie } });
    const other = await signIn(o.baseUrl, user);
    const { endAllSessions } = await import("../../lib/auth/session-revocation.ts");
    await endAllSessions(user.userId);
    const everywhere = (await fetchApp("/api/workspace/balance", { headers: { cookie: other } })).status;
    const ok =
      before === 200 &&
      after === 401 &&
      page.status === 307 &&
      (page.headers.get("location") ?? "").includes("/login") &&
      everywhere === 401;
    checks.push({
      name: "sign-out",
      ok,
      detail: `signed in ${before}; the saved cookie after sign-out: API ${after}, page ${page.status} → ${page.headers.get("location")}; after sign out everywhere: ${everywhere}`,
      requests: 6,
    });
  }

  // 3. Invitations of an owner who was removed or demoted are dead.
  {
    const owner = await account("inv-owner");
    await o.db.workspace.update({ where: { id: owner.workspaceId }, data: { planId: "scale" } });
    const dead: string[] = [];
    let requests = 0;
    for (const how of ["removed", "demoted"] as const) {
      const mate = await account(`inv-${how}`);
      const join = await createInvitation({ workspaceId: owner.workspaceId, actorUserId: owner.userId, email: mate.email, role: "OWNER" });
      await acceptInvitation({ token: join.token, userId: mate.userId });
      const backdoor = await createInvitation({
        workspaceId: owner.workspaceId,
        actorUserId: mate.userId,
        email: `verify-probe-backdoor-${how}-${stamp}@example.test`,
        role: "OWNER",
      });
      const membership = await o.db.membership.findUniqueOrThrow({
        where: { userId_workspaceId: { userId: mate.userId, workspaceId: owner.workspaceId } },
      });
      if (how === "removed") await removeMember({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: membership.id });
      else await changeRole({ workspaceId: owner.workspaceId, actorUserId: owner.userId, membershipId: membership.id, role: "MEMBER" });
      const res = await fetchApp(`/invite/${backdoor.token}`);
      requests++;
      const html = await res.text();
      if (!html.includes("This invitation was withdrawn"))
        dead.push(`${how}: the invitation page does not say it was withdrawn (${res.status})`);
    }
    checks.push({
      name: "invitations",
      ok: dead.length === 0,
      detail: dead.length ? dead.join("; ") : "the open invitations of a removed and of a demoted owner are withdrawn",
      requests,
    });
  }

  // 4. Bad input: a 4xx in the error shape, never a 5xx.
  {
    const user = await account("input");
    const { key } = await createApiKey({ kind: "WORKSPACE", workspaceId: user.workspaceId, name: "probe" });
    const bad: string[] = [];
    let requests = 0;
    const expect4xx = async (name: string, res: Response) => {
      requests++;
      const body = await readBody(res);
      if (res.status < 400 || res.status >= 500 || !isErrorShape(body)) bad.push(`${name}: ${res.status}`);
    };
    const stripe = new Stripe("sk_test_probe");
    const signed = (payload: string, timestamp?: number) =>
      fetchApp("/api/stripe/webhook", {
        method: "POST",
        body: payload,
        headers: {
          "content-type": "application/json",
          "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: o.webhookSecret, timestamp }),
        },
      });
    for (const payload of [
      "not json",
      "[]",
      JSON.stringify({ id: 5, type: null, data: {} }),
      JSON.stringify({ id: "evt_probe", object: "event", type: "customer.created", created: 1, data: { object: "x" } }),
    ]) {
      await expect4xx(`signed webhook ${payload.slice(0, 30)}`, await signed(payload));
    }
    const valid = JSON.stringify({
      id: `evt_probe_future_${Date.now()}`,
      object: "event",
      type: "customer.created",
      created: 1,
      data: { object: { id: "cus_x", object: "customer" } },
    });
    await expect4xx("webhook signed an hour ahead", await signed(valid, Math.floor(Date.now() / 1000) + 3600));
    const deep = `{"action":"aria.chat","metadata":${'{"d":'.repeat(5000)}1${"}".repeat(5000)}}`;
    await expect4xx(
      "metadata 5,000 levels deep",
      await fetchApp("/api/v1/track", { method: "POST", body: deep, headers: { ...bearer(key), "content-type": "application/json" } }),
    );
    await expect4xx(
      "server action over 1 MB",
      await fetchApp("/forgot-password", {
        method: "POST",
        body: "x".repeat(1024 * 1024 + 1),
        headers: { "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8", origin },
      }),
    );
    checks.push({
      name: "bad input",
      ok: bad.length === 0,
      detail: bad.length ? bad.join("; ") : `${requests} hostile requests, each a 4xx in the error shape`,
      requests,
    });
  }

  // 5. CSVs: parsed with a real parser, no formula cell, one row per event or entry.
  {
    const user = await account("csv");
    const { key } = await createApiKey({ kind: "WORKSPACE", workspaceId: user.workspaceId, name: "csv probe" });
    const subjects = [
      "Artist\n=1+1",
      '=HYPERLINK("http://evil.example")',
      "@SUM(A1)",
      "+cmd",
      "-2+3",
      "\tTab",
      "line\r\n=2+2",
      'quote " and, comma',
    ];
    const ids: string[] = [];
    for (const subject of subjects) {
      const res = await fetchApp("/api/v1/track", jsonRequest("POST", { action: "aria.chat", subject }, bearer(key)));
      const body = (await res.json()) as { event_id?: string };
      if (body.event_id) ids.push(body.event_id);
    }
    await fetchApp(`/api/v1/events/${ids[0]}/refund`, jsonRequest("POST", { reason: "refund\n=3+3\r\n@x" }, bearer(key)));
    const cookie = await signIn(o.baseUrl, user);
    const problems: string[] = [];
    let cells = 0;
    for (const [path, expectedRows] of [
      ["/api/workspace/usage.csv", await o.db.usageEvent.count({ where: { workspaceId: user.workspaceId } })],
      ["/api/workspace/ledger.csv", await o.db.ledgerEntry.count({ where: { workspaceId: user.workspaceId } })],
    ] as const) {
      const res = await fetchApp(path, { headers: { cookie } });
      const text = await res.text();
      let rows: string[][] = [];
      try {
        rows = parse(text, { relax_column_count: false }) as string[][];
      } catch (err) {
        problems.push(`${path}: not valid CSV (${(err as Error).message})`);
        continue;
      }
      if (rows.length - 1 !== expectedRows) problems.push(`${path}: ${rows.length - 1} rows for ${expectedRows}`);
      for (const row of rows) {
        for (const cell of row) {
          cells++;
          if (runsAsFormula(cell)) problems.push(`${path}: formula cell ${JSON.stringify(cell)}`);
        }
      }
    }
    if (ids.length !== subjects.length) problems.push(`only ${ids.length} of ${subjects.length} hostile subjects were tracked`);
    checks.push({
      name: "CSV",
      ok: problems.length === 0 && cells > 0,
      detail: problems.length ? problems.slice(0, 5).join("; ") : `${cells} cells in 2 CSVs, 0 formula cells, rows = events`,
      requests: subjects.length + 3,
    });
  }

  const requests = checks.reduce((n, c) => n + c.requests, 0);
  const ok = checks.every((c) => c.ok) && fiveXx === 0 && requests > 0;
  return {
    did: `${checks.length} probes (${checks.map((c) => c.name).join(", ")}), ${requests} requests`,
    figures: `${checks.filter((c) => !c.ok).length} holes, 5xx ${fiveXx}; ${checks.map((c) => `${c.name} ${c.ok ? "ok" : "FAIL"}`).join("; ")}`,
    ok,
    problems: [...checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`), ...(fiveXx ? [`${fiveXx} answers were 5xx`] : [])],
    notes: checks.map((c) => `${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}`),
  };
}
