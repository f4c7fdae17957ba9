// Scenario 9 — the authorization matrix over HTTP, server actions included (issue 19): every page, API
// route and server action × every kind of caller (authz-matrix.ts) → exactly the answer the table says.
// Server actions are called the way Next's client calls them: a POST to a page with the `Next-Action`
// header naming the action's id (read from the build's server-reference manifest, so no browser is
// needed) and the arguments encoded as React's encodeReply does. A leak is an answer that lets a caller
// in where the table refuses them, or an answer to a caller outside W that contains W's name or id.
import fs from "node:fs";
import path from "node:path";
import { signIn } from "../app-harness.ts";
import type { Db } from "../../lib/db.ts";
import { ACTIONS, CALLERS, INSIDE_W, ROUTES, answers, type ActionCase, type Caller, type Case, type Fixture } from "./authz-matrix.ts";
import { bearer, fmt, jsonRequest, Problems, type Outcome, type Target } from "./support.ts";

export type AuthzOptions = { target: Target; baseUrl: string; db: Db; manifest?: string };

/** Answers that keep a caller out: getting a 2xx or a redirect onwards instead is a leak. */
const REFUSALS = new Set(["307", "401", "403", "404", "409"]);
const PASSWORD = "verify authorization matrix";

/** page.tsx and route.ts under app/, relative to it. */
function routeFiles(): string[] {
  return (fs.readdirSync("app", { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => /(^|\/)(page\.tsx|route\.ts)$/.test(f))
    .sort();
}

/** "file#export" → action id, from the build. */
export function actionIds(manifest = ".next/server/server-reference-manifest.json"): Map<string, string> {
  const json = JSON.parse(fs.readFileSync(manifest, "utf8")) as { node: Record<string, { filename: string; exportedName: string }> };
  return new Map(Object.entries(json.node).map(([id, a]) => [`${a.filename}#${a.exportedName}`, id]));
}

/** Rows without a file and files without a row, both ways. */
function coverage(onDisk: string[], inTable: string[], what: string, problems: Problems): void {
  for (const f of onDisk.filter((x) => !inTable.includes(x))) problems.add(`${what} without a row in the matrix: ${f}`);
  for (const f of inTable.filter((x) => !onDisk.includes(x))) problems.add(`a row of the matrix names no ${what}: ${f}`);
}

/** What a server action answered, as the table writes it (see authz-matrix.ts). */
function actionAnswer(res: Response, text: string): string {
  const redirect = res.headers.get("x-action-redirect") ?? (res.status >= 300 && res.status < 400 ? res.headers.get("location") : null);
  if (redirect !== null) return /^\/login(\?|;|$)/.test(redirect) ? "307" : "away";
  if (res.status !== 200) return String(res.status);
  // The flight rows: `0:{"a":"$@1",…}` and the result in row 1, or inline in row 0.
  const rows = new Map<string, unknown>();
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (!m) continue;
    try {
      rows.set(m[1]!, JSON.parse(m[2]!));
    } catch {
      // a row that is not JSON (a chunk reference)
    }
  }
  let result = (rows.get("0") as { a?: unknown } | undefined)?.a;
  if (typeof result === "string" && result.startsWith("$@")) result = rows.get(result.slice(2));
  if (typeof result !== "object" || result === null || !("ok" in result)) return "200";
  const r = result as { ok: boolean; message?: string };
  if (r.ok) return "200";
  const message = r.message ?? "";
  if (/^Sign in/.test(message)) return "401";
  if (/Only workspace owners|not a member/.test(message)) return "403";
  if (/^This page was for another workspace/.test(message)) return "409";
  return "400";
}

type Who = { cookie?: string; key?: string };

/**
 * Calls a server action the way Next's client does: a POST to a page of the action with its id in the
 * `Next-Action` header and the arguments encoded as React's encodeReply does — the bound arguments, then
 * the form (`form`; none: the arguments alone, as text).
 */
export function postAction(
  target: Target,
  baseUrl: string,
  a: { id: string; page: string; args: unknown[]; form?: Record<string, string> },
  headers: Record<string, string> = {},
): Promise<Response> {
  let body: BodyInit;
  const sent = { ...headers, accept: "text/x-component", "next-action": a.id, origin: baseUrl };
  if (!a.form) {
    body = JSON.stringify(a.args);
    Object.assign(sent, { "content-type": "text/plain;charset=UTF-8" });
  } else {
    // The form's fields under the prefix "_1_", then (last: the server reads the parts as they stream in)
    // the argument list in part "0", naming the form "$K1".
    const form = new FormData();
    for (const [k, v] of Object.entries(a.form)) form.append(`_1_${k}`, v);
    form.set("0", JSON.stringify([...a.args, "$K1"]));
    body = form;
  }
  return target.fetch(a.page, { method: "POST", body, redirect: "manual", headers: sent });
}

export async function runAuthz(o: AuthzOptions): Promise<Outcome> {
  const { createAccount } = await import("../../lib/accounts/signup.ts");
  const { createApiKey, revokeApiKey } = await import("../../lib/metering/keys.ts");
  const { createInvitation } = await import("../../lib/teams/invitations.ts");
  const problems = new Problems();
  const ids = actionIds(o.manifest);
  coverage(routeFiles(), Object.keys(ROUTES), "page or route", problems);
  coverage([...ids.keys()].sort(), Object.keys(ACTIONS), "server action", problems);

  // ── the callers ──
  const stamp = `${Date.now().toString(36)}-${process.pid}`;
  const account = (who: string) =>
    createAccount({ name: `Authz ${who}`, email: `verify-authz-${who}-${stamp}@example.test`, password: PASSWORD }, { verified: true });
  const people = ["owner", "member", "billing", "other", "removed", "demoted", "operator"] as const;
  const accounts = Object.fromEntries(await Promise.all(people.map(async (p) => [p, await account(p)] as const))) as Record<
    (typeof people)[number],
    { userId: string; workspaceId: string }
  >;
  const W = accounts.owner.workspaceId;
  const wName = `Matrix W ${stamp}`;
  // W pays (Scale: 10 seats, so its owner may still invite once the callers below have joined).
  await o.db.workspace.update({ where: { id: W }, data: { name: wName, planId: "scale" } });
  await o.db.user.update({ where: { id: accounts.operator.userId }, data: { isAdmin: true } });
  const join = (who: "member" | "billing" | "removed" | "demoted", role: "OWNER" | "MEMBER") =>
    o.db.membership.create({ data: { workspaceId: W, userId: accounts[who].userId, role }, select: { id: true } });
  const memberMembership = await join("member", "MEMBER");
  await join("billing", "MEMBER");
  const removedMembership = await join("removed", "MEMBER");
  const demotedMembership = await join("demoted", "OWNER");
  // Signed in while still members / owners; then removed and demoted (the sessions outlive the change).
  const cookies = Object.fromEntries(
    await Promise.all(
      people.map(
        async (p) =>
          [
            p,
            `${await signIn(o.baseUrl, { email: `verify-authz-${p}-${stamp}@example.test`, password: PASSWORD })}; cb_workspace=${W}`,
          ] as const,
      ),
    ),
  ) as Record<(typeof people)[number], string>;
  await o.db.membership.delete({ where: { id: removedMembership.id } });
  await o.db.membership.update({ where: { id: demotedMembership.id }, data: { role: "MEMBER" } });

  const invite = async (n: number) =>
    (
      await createInvitation({
        workspaceId: W,
        actorUserId: accounts.owner.userId,
        email: `verify-authz-invited-${n}-${stamp}@example.test`,
        role: "MEMBER",
      })
    ).invitation.id;
  const invitationIds: [string, string] = [await invite(1), await invite(2)];
  const wKey = await createApiKey({ kind: "WORKSPACE", workspaceId: W, name: "authz", hourlyCap: 100_000 });
  const revoked = await createApiKey({ kind: "WORKSPACE", workspaceId: W, name: "authz revoked" });
  await revokeApiKey({ id: revoked.client.id, workspaceId: W });
  const otherKey = await createApiKey({
    kind: "WORKSPACE",
    workspaceId: accounts.other.workspaceId,
    name: "authz other",
    hourlyCap: 100_000,
  });
  const platformKey = await createApiKey({ kind: "PLATFORM", workspaceId: null, name: "authz platform", hourlyCap: 100_000 });
  const who: Record<Caller, Who> = {
    anon: {},
    member: { cookie: cookies.member },
    billing: { cookie: cookies.billing },
    owner: { cookie: cookies.owner },
    other: { cookie: cookies.other },
    removed: { cookie: cookies.removed },
    demoted: { cookie: cookies.demoted },
    revoked: { key: revoked.key },
    otherKey: { key: otherKey.key },
    key: { key: wKey.key },
    platform: { key: platformKey.key },
    operator: { cookie: cookies.operator },
  };

  // Fresh ids of W for the routes that consume them; reservations a refused caller left behind are
  // released after each call (a key may hold only so many).
  const reserved: string[] = [];
  const make = async (p: string, body: object, field: string) => {
    const res = await o.target.fetch(p, jsonRequest("POST", body, bearer(wKey.key)));
    if (res.status !== 201) throw new Error(`POST ${p} with W's key answered ${res.status}`);
    return ((await res.json()) as Record<string, string>)[field]!;
  };
  const fixture: Fixture = {
    W,
    keyId: wKey.client.id,
    revokedKeyId: revoked.client.id,
    memberMembershipId: memberMembership.id,
    invitationIds,
    eventId: () => make("/api/v1/track", { action: "aria.chat" }, "event_id"),
    reservationId: async () => {
      const id = await make("/api/v1/reservations", { action: "stems.separate" }, "reservation_id");
      reserved.push(id);
      return id;
    },
  };
  const releaseLeftovers = async () => {
    for (const id of reserved.splice(0))
      await o.target.fetch(`/api/v1/reservations/${id}/release`, jsonRequest("POST", {}, bearer(wKey.key)));
  };

  // ── one cell ──
  async function call(c: Case, caller: Caller): Promise<{ got: string; text: string; sent: string }> {
    const { cookie, key } = who[caller];
    const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...(key ? bearer(key) : {}) };
    if (c.kind === "http") {
      const p = typeof c.path === "function" ? await c.path(fixture) : c.path;
      // Keys name W: in the query for reads, in the body for writes.
      const names = key !== undefined && p.startsWith("/api/v1/") && c.namesWorkspace !== false;
      const url = names && !c.body ? `${p}${p.includes("?") ? "&" : "?"}workspace_id=${W}` : p;
      const body = c.body ? { ...c.body, ...(names ? { workspace_id: W } : {}) } : undefined;
      const res = await o.target.fetch(url, { ...jsonRequest(c.method, body, headers), redirect: "manual" });
      const text = await res.text();
      await releaseLeftovers();
      const location = res.headers.get("location");
      const got =
        res.status >= 300 && res.status < 400
          ? /^(https?:\/\/[^/]+)?\/login(\?|$)/.test(location ?? "")
            ? "307"
            : "away"
          : String(res.status);
      return { got, text, sent: `${c.method} ${url}` };
    }
    return callAction(c, caller, headers);
  }

  async function callAction(
    c: ActionCase,
    caller: Caller,
    headers: Record<string, string>,
  ): Promise<{ got: string; text: string; sent: string }> {
    const res = await postAction(
      o.target,
      o.baseUrl,
      { id: actionIdOf.get(c)!, page: c.page, args: c.bound?.(fixture) ?? [], form: c.noForm ? undefined : (c.form?.(fixture) ?? {}) },
      headers,
    );
    const text = await res.text();
    return { got: actionAnswer(res, text), text, sent: `action ${actionNameOf.get(c)} via POST ${c.page} (${caller})` };
  }

  const actionIdOf = new Map<ActionCase, string>();
  const actionNameOf = new Map<ActionCase, string>();
  for (const [name, cases] of Object.entries(ACTIONS)) {
    for (const c of cases) {
      actionNameOf.set(c, name.split("#")[1]!);
      const id = ids.get(name);
      if (id) actionIdOf.set(c, id);
    }
  }

  // ── every cell: routes and pages, then actions, the session-changing ones last ──
  const all: { name: string; c: Case }[] = [
    ...Object.entries(ROUTES).flatMap(([name, cases]) => cases.map((c) => ({ name, c }))),
    ...Object.entries(ACTIONS).flatMap(([name, cases]) => cases.filter((c) => actionIdOf.has(c)).map((c) => ({ name, c }))),
  ];
  const order = (c: Case) => (c.kind === "action" ? (c.last ?? 0) : 0);
  all.sort((a, b) => order(a.c) - order(b.c));
  let cells = 0;
  let leaks = 0;
  let mismatches = 0;
  let actionCells = 0;
  for (const { name, c } of all) {
    const expected = answers(c.expect);
    for (const caller of CALLERS) {
      const { got, text, sent } = await call(c, caller);
      cells++;
      if (c.kind === "action") actionCells++;
      const want = expected[caller];
      const letIn = !REFUSALS.has(got) && REFUSALS.has(want);
      // Outside W, an answer must not name W; an operator sees W in the console, not elsewhere.
      const inConsole = c.kind === "http" ? sent.includes(" /admin") : c.page.startsWith("/admin");
      // (W's id in an answer to a request that carried it in its URL is the URL echoed, e.g. in a redirect to sign-in.)
      const outside = !INSIDE_W.has(caller) && !(caller === "operator" && inConsole) && !(c.kind === "http" && c.showsAll);
      const seesW = outside && (text.includes(wName) || (!sent.includes(W) && text.includes(W)));
      if (letIn || seesW) {
        leaks++;
        problems.add(
          `LEAK ${sent} as ${caller}: ${letIn ? `got ${got} where the matrix refuses (${want})` : "the answer contains W"} (${name})`,
        );
      } else if (got !== want) {
        mismatches++;
        problems.add(`${sent} as ${caller}: got ${got}, expected ${want} (${name})`);
      }
    }
  }
  if (cells === 0) problems.add("no cell was checked");
  if (actionCells === 0) problems.add("no server action was called (no action ids in the build's manifest?)");
  const rows = Object.keys(ROUTES).length + Object.keys(ACTIONS).length;
  return {
    did: `${rows} pages, routes and server actions (${Object.keys(ACTIONS).length} actions by Next-Action id) × ${CALLERS.length} callers on one workspace`,
    figures: `${fmt(cells)} cells checked (${fmt(actionCells)} server-action calls), ${leaks} leaks, ${mismatches} other differences from the table`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}
