// Scenario 4 — bad input. A fuzzer sends requests across every API route: the metering API's
// operations come from its OpenAPI document (bodies and queries drawn by fast-check from the JSON
// schemas the zod schemas generate, then mutated), the other routes from the app/api tree; mixed in
// are hand-written nasties (huge numbers, NaN, unicode, deep JSON, 10 MB bodies, wrong content types,
// SQL/HTML injection, ids of another workspace, forged keys, cross-origin requests). Checked: no
// response is a 5xx; every API error has the documented shape; the victim workspace whose ids are
// forged does not change at all; and in the fuzzed workspace every usage event and ledger entry made
// during the run belongs to a request that was answered 2xx (so rejected requests changed nothing).
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { Db } from "../../lib/db.ts";
import { mulberry32 } from "../../lib/random.ts";
import {
  bearer,
  fmt,
  isErrorShape,
  ledgerSnapshot,
  makeWorkspaces,
  Problems,
  readBody,
  Rng,
  sameSnapshot,
  type Outcome,
  type Target,
} from "./support.ts";

export type FuzzOptions = {
  requests: number;
  concurrency: number;
  seed: number;
  /** Only /api/v1 and the webhook (the in-process tests have no Next request context for session routes). */
  apiOnly?: boolean;
  /** Signs a user in over HTTP (the harness): session routes are then fuzzed signed in, half the time. */
  signIn?: (credentials: { email: string; password: string }) => Promise<string>;
  /** Drive the forms in Chromium against this running app (the harness only). */
  browser?: { baseUrl: string };
  /** Bodies of 10 MB (the harness); smaller in the in-process tests. */
  hugeBytes?: number;
};

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  $ref?: string;
};

type Route = {
  method: string;
  path: string;
  body?: JsonSchema;
  query?: { name: string; schema: JsonSchema }[];
  api: boolean;
  session: boolean;
};

/** A fast-check arbitrary of values valid for a JSON schema (the subset zod-to-openapi writes). */
export function arbitraryOf(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryOf(s, depth + 1)));
  if (schema.allOf?.length) return arbitraryOf(schema.allOf[0]!, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      if (schema.format === "email") return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
      if (schema.format === "date-time")
        return fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 40, 60);
      if (schema.pattern)
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
      return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: "binary" });
    }
    case "integer":
      return fc.integer({
        min: Math.max(schema.minimum ?? -1e9, Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 1e9, 2_147_483_647),
      });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(schema.items ? arbitraryOf(schema.items, depth + 1) : fc.jsonValue(), { maxLength: 4 });
    case "object": {
      if (!schema.properties)
        return depth > 2 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, arbitraryOf(s, depth + 1)])), {
        requiredKeys: [...required],
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const NASTY_VALUES: unknown[] = [
  1e308,
  -1,
  0,
  2 ** 53 + 1,
  2 ** 31,
  -(2 ** 63),
  1.5,
  "NaN",
  "",
  " ",
  "\u0000",
  "\ud800",
  "𝕮𝖗𝖊𝖉𝖎𝖙𝖇𝖔𝖔𝖐 🤖💸 مرحبا ‮RTL",
  '\'; DROP TABLE "UsageEvent"; --',
  "' OR '1'='1",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "../../../../etc/passwd",
  "%00%0d%0a",
  "${jndi:ldap://127.0.0.1/a}",
  "a".repeat(100_000),
  null,
  true,
  [],
  [1, 2, 3],
  {},
  { $gt: "" },
  { __proto__: { admin: true } },
];

/** Raw bodies that are not what the route expects at all. */
function nastyBody(rng: Rng, hugeBytes: number, allowHuge: boolean): { body: string; contentType?: string } {
  const choices = [
    () => ({ body: '{"action": NaN, "quantity": Infinity}' }),
    () => ({ body: '{"quantity": 1e999}' }),
    () => ({ body: "[".repeat(50_000) + "]".repeat(50_000) }),
    () => ({ body: JSON.stringify(nest(2_000)) }),
    () => ({ body: "{" }),
    () => ({ body: "" }),
    () => ({ body: "null" }),
    () => ({ body: '"just a string"' }),
    () => ({ body: "action=aria.chat&quantity=1", contentType: "application/x-www-form-urlencoded" }),
    () => ({
      body: '--x\r\nContent-Disposition: form-data; name="action"\r\n\r\naria.chat\r\n--x--',
      contentType: "multipart/form-data; boundary=x",
    }),
    () => ({ body: JSON.stringify({ action: "aria.chat" }), contentType: "text/plain" }),
    () => ({ body: JSON.stringify({ action: "aria.chat" }), contentType: "application/xml" }),
    () => ({ body: '{"action":"aria.chat","action":"video.generate"}' }),
    () => ({ body: "\uFEFF" + JSON.stringify({ action: "aria.chat" }) }),
    () => ({ body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString("latin1") }),
  ];
  if (allowHuge && rng.chance(0.25)) return { body: JSON.stringify({ action: "aria.chat", metadata: { blob: "x".repeat(hugeBytes) } }) };
  return rng.pick(choices)!();
}

function nest(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Every route file under app/api with the methods it exports, as URL templates. */
export function appApiRoutes(root = "app/api"): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === "route.ts") {
        const source = fs.readFileSync(p, "utf8");
        const methods = [...source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map(
          (m) => m[1]!,
        );
        const reexport = /export\s*\{([^}]*)\}/.exec(source)?.[1] ?? "";
        for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"]) if (new RegExp(`\\b${m}\\b`).test(reexport)) methods.push(m);
        out.push({ path: "/" + path.relative("app", dir).split(path.sep).join("/"), methods: [...new Set(methods)] });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export async function runFuzz(target: Target, db: Db, o: FuzzOptions): Promise<Outcome> {
  const { debit, reserve } = await import("../../lib/credits/index.ts");
  const problems = new Problems();
  const rng = new Rng(mulberry32(o.seed ^ 0xf022));
  const hugeBytes = o.hugeBytes ?? 10 * 1024 * 1024;

  // The fuzzed workspace (a few keys, so the read limit of one key is not all the fuzzer meets) and the victim.
  const fuzzed = await makeWorkspaces(db, 1, { prefix: `verify-fuzz-${o.seed}`, planId: () => "pro", hourlyCap: 1_000_000 });
  const { createApiKey } = await import("../../lib/metering/keys.ts");
  const keys = [
    fuzzed[0]!.key,
    ...(await Promise.all(
      [1, 2, 3, 4].map(
        async () => (await createApiKey({ kind: "WORKSPACE", workspaceId: fuzzed[0]!.id, name: "fuzz", hourlyCap: 1_000_000 })).key,
      ),
    )),
  ];
  const [victim] = await makeWorkspaces(db, 1, { prefix: `verify-victim-${o.seed}` });
  await db.workspace.update({ where: { id: victim!.id }, data: { externalId: `victim-${o.seed}` } });
  const victimEvent = await debit({ workspaceId: victim!.id, actionKey: "aria.chat", quantity: 1 });
  const victimHold = await reserve({ workspaceId: victim!.id, actionKey: "stems.separate" });
  const victimIds = [
    victimEvent.outcome === "denied" ? "none" : victimEvent.eventId,
    victimHold.outcome === "denied" ? "none" : victimHold.eventId,
  ];
  const fuzzId = fuzzed[0]!.id;
  // A signed-in user for the session routes: their workspace must not change either (no route of theirs
  // moves credits without a payment).
  const unchanged = [victim!.id];
  let cookie: string | undefined;
  if (o.signIn) {
    const { createAccount } = await import("../../lib/accounts/signup.ts");
    const credentials = { email: `verify-fuzz-${o.seed}-${process.pid}@example.test`, password: "verify fuzz password" };
    const account = await createAccount({ name: "Fuzz", ...credentials }, { verified: true });
    unchanged.push(account.workspaceId);
    cookie = await o.signIn(credentials);
  }
  const victimBefore = await ledgerSnapshot(db, unchanged);
  const lastEntry = await db.ledgerEntry.aggregate({ _max: { id: true } });
  const eventsBefore = new Set((await db.usageEvent.findMany({ where: { workspaceId: fuzzId }, select: { id: true } })).map((e) => e.id));

  // The routes: the OpenAPI document for /api/v1, the app/api tree for the rest.
  const docRes = await target.fetch("/api/v1/openapi.json");
  const doc = (await docRes.json()) as {
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
          parameters?: { in: string; name: string; schema: JsonSchema }[];
          security?: unknown[];
        }
      >
    >;
  };
  const routes: Route[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      routes.push({
        method: method.toUpperCase(),
        path: p.replace(/\{(\w+)\}/g, "[$1]"),
        body: op.requestBody?.content["application/json"]?.schema,
        query: op.parameters?.filter((q) => q.in === "query").map((q) => ({ name: q.name, schema: q.schema })),
        api: true,
        session: false,
      });
    }
  }
  const documented = new Set(routes.map((r) => `${r.method} ${r.path}`));
  let appRoutes = appApiRoutes();
  if (o.apiOnly) appRoutes = appRoutes.filter((r) => r.path.startsWith("/api/v1/") || r.path === "/api/stripe/webhook");
  for (const r of appRoutes) {
    // Test-only routes move the clock or record usage (404 outside test mode): not part of the product.
    if (r.path.startsWith("/api/test/")) continue;
    for (const method of r.methods) {
      if (documented.has(`${method} ${r.path}`)) continue;
      routes.push({ method, path: r.path, api: !r.path.startsWith("/api/auth/"), session: !r.path.startsWith("/api/v1/") });
    }
  }
  const bodyArbs = new Map(routes.map((r) => [r, r.body ? arbitraryOf(r.body) : fc.jsonValue({ maxDepth: 3 })]));
  const authPaths = ["session", "csrf", "providers", "signin", "signout", "callback/credentials", "error", "_log", "nonsense/../x"];
  const knownIds: string[] = [];
  const actions = (
    await db.actionPrice.findMany({
      where: { active: true },
      select: { actionKey: true },
      distinct: ["actionKey"],
      orderBy: { actionKey: "asc" },
    })
  ).map((a) => a.actionKey);

  const statuses = new Map<number, number>();
  let shapeErrors = 0;
  let fiveXX = 0;
  let connectionErrors = 0;
  let huge = 0;
  const accepted = new Set<string>();

  const one = async (n: number) => {
    const r = rng.pick(routes)!;
    const idOf = () => {
      const roll = rng.next();
      return roll < 0.4
        ? (rng.pick(knownIds) ?? "x")
        : roll < 0.6
          ? rng.pick(victimIds)!
          : roll < 0.8
            ? String(rng.pick(NASTY_VALUES))
            : `evt_${n}`;
    };
    let url = r.path
      .replace(/\[\.\.\.nextauth\]/, () => rng.pick(authPaths)!)
      .replace(/\[(\w+)\]/g, (_, name: string) =>
        encodePart(name === "external_id" ? (rng.chance(0.3) ? `victim-${o.seed}` : `fuzz-${o.seed}-${n}`) : idOf()),
      );
    let method = r.method;
    if (rng.chance(0.03)) method = rng.pick(["GET", "POST", "PUT", "PATCH", "DELETE"])!;
    const headers: Record<string, string> = {};
    const authRoll = rng.next();
    if (authRoll < 0.7) Object.assign(headers, bearer(rng.pick(keys)!));
    else if (authRoll < 0.8)
      headers.authorization = String(
        rng.pick(["Bearer ", "Bearer cb_live_000000000000_forged", "Basic YTpi", `Bearer ${"A".repeat(5000)}`, "Bearer ' OR 1=1 --"]),
      );
    if (r.session && cookie && rng.chance(0.7)) headers.cookie = cookie;
    if (rng.chance(0.03)) headers.origin = "https://evil.example";
    if (r.path === "/api/stripe/webhook")
      headers["stripe-signature"] = String(
        rng.pick(["t=1,v1=00", "", "garbage", `t=${Math.floor(Date.now() / 1000)},v1=${"a".repeat(64)}`]),
      );

    let body: string | undefined;
    if (method !== "GET" && method !== "HEAD") {
      const roll = rng.next();
      let value: unknown;
      if (roll < 0.45) {
        value = fc.sample(bodyArbs.get(r)!, { seed: (o.seed + n) | 0, numRuns: 1 })[0];
        // Half of these made acceptable (a priced action, no foreign workspace or member), so the run also
        // charges, holds and refunds, and "rejected requests change nothing" is tested next to real changes.
        if (value && typeof value === "object" && !Array.isArray(value) && rng.chance(0.5)) {
          const v = value as Record<string, unknown>;
          for (const k of ["workspace_id", "external_id", "member_email", "idempotency_key"]) delete v[k];
          if ("action" in v) v.action = rng.pick(actions)!;
          if (typeof v.quantity === "number") v.quantity = rng.int(1, 3);
          if (typeof v.estimate === "number") v.estimate = rng.int(0, 30);
          if (typeof v.actual === "number") v.actual = rng.int(0, 30);
        }
      } else if (roll < 0.8) {
        value = fc.sample(bodyArbs.get(r)!, { seed: (o.seed + n) | 0, numRuns: 1 })[0];
        value = mutate(value, rng, victim!.id, `victim-${o.seed}`);
      }
      if (roll >= 0.8) {
        const nasty = nastyBody(rng, hugeBytes, huge < 12);
        if (nasty.body.length >= hugeBytes) huge++;
        body = nasty.body;
        headers["content-type"] = nasty.contentType ?? "application/json";
      } else {
        body = JSON.stringify(value) ?? "null";
        headers["content-type"] = rng.chance(0.05) ? "text/plain" : "application/json";
      }
    } else if (r.query?.length) {
      const params = new URLSearchParams();
      for (const q of r.query) {
        if (rng.chance(0.5)) continue;
        const v = rng.chance(0.7) ? fc.sample(arbitraryOf(q.schema), { seed: (o.seed + n) | 0, numRuns: 1 })[0] : rng.pick(NASTY_VALUES);
        params.set(q.name, typeof v === "string" ? v : (JSON.stringify(v) ?? ""));
      }
      if (rng.chance(0.2)) params.set("workspace_id", victim!.id);
      if (rng.chance(0.1)) params.set("unknown", "1");
      url += `?${params}`;
    }

    let res: Response;
    try {
      res = await target.fetch(url, { method, headers, body });
    } catch (err) {
      // A huge body may be refused by closing the connection; anything else is a failure.
      connectionErrors++;
      if (!(body && body.length >= hugeBytes))
        problems.add(`${method} ${url.slice(0, 120)}: connection error ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const json = await readBody(res);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    // Every answer counts, those given before a route of ours runs included: scripts/server.mjs turns
    // Next's and Node's own (undecodable %-paths, methods a route does not export, oversized headers)
    // into the error shape, and app/api/[...path] answers unknown paths.
    // 503 overloaded is the hot path shedding load on a busy machine: documented, retryable, nothing
    // charged (its shape is checked below like any error's). Any other 5xx is a failure.
    const overloaded = res.status === 503 && (json as { error?: { code?: string } } | null)?.error?.code === "overloaded";
    if (res.status >= 500 && !overloaded) {
      fiveXX++;
      problems.add(`${method} ${url.slice(0, 120)} → ${res.status} ${JSON.stringify(json).slice(0, 200)} (body ${body?.slice(0, 120)})`);
    } else if (res.status >= 400 && r.api && !isErrorShape(json)) {
      shapeErrors++; // (an overloaded 503 lands here too when its shape is wrong)
      problems.add(`${method} ${url.slice(0, 120)} → ${res.status} not in the error shape: ${JSON.stringify(json).slice(0, 200)}`);
    } else if (res.status < 300 && json && typeof json === "object") {
      for (const k of ["event_id", "reservation_id", "id"] as const) {
        const v = (json as Record<string, unknown>)[k];
        if (typeof v === "string") {
          accepted.add(v);
          knownIds.push(v);
        }
      }
      const pathId = /\/(?:events|reservations)\/([^/?]+)/.exec(url)?.[1];
      if (pathId) accepted.add(decodeURIComponent(pathId));
    }
  };

  let next = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.requests) await one(next++);
    }),
  );

  // Nothing rejected changed a balance: the victim is untouched, and in the fuzzed workspace every new
  // event and ledger entry belongs to a request answered 2xx.
  const victimAfter = await ledgerSnapshot(db, unchanged);
  let unexplained = 0;
  if (!sameSnapshot(victimBefore, victimAfter)) {
    unexplained++;
    problems.add(`the victim or the signed-in user's workspace changed: ${JSON.stringify(victimBefore)} → ${JSON.stringify(victimAfter)}`);
  }
  const newEvents = (await db.usageEvent.findMany({ where: { workspaceId: fuzzId }, select: { id: true } })).filter(
    (e) => !eventsBefore.has(e.id),
  );
  for (const e of newEvents) {
    if (!accepted.has(e.id)) {
      unexplained++;
      problems.add(`event ${e.id} was made by no accepted request`);
    }
  }
  const entries = await db.ledgerEntry.findMany({
    where: { workspaceId: fuzzId, id: { gt: lastEntry._max.id ?? 0n } },
    select: { id: true, usageEventId: true, amount: true, kind: true },
  });
  for (const e of entries) {
    if (e.amount !== 0 && (!e.usageEventId || !accepted.has(e.usageEventId))) {
      unexplained++;
      problems.add(`ledger entry ${e.id} (${e.kind} ${e.amount}) belongs to no accepted request`);
    }
  }

  let forms: { submissions: number; fiveXX: number; problems: string[] } | null = null;
  let serverActions: Awaited<ReturnType<typeof import("./fuzz-forms.ts").fuzzActions>> | null = null;
  if (o.browser) {
    const { fuzzForms, fuzzActions } = await import("./fuzz-forms.ts");
    forms = await fuzzForms(o.browser.baseUrl, db, o.seed);
    for (const p of forms.problems) problems.add(p);
    serverActions = await fuzzActions({ target, baseUrl: o.browser.baseUrl, db, seed: o.seed });
    for (const p of serverActions.problems) problems.add(p);
  }
  const byStatus = [...statuses]
    .sort((a, b) => a[0] - b[0])
    .map(([s, c]) => `${s}×${fmt(c)}`)
    .join(" ");
  return {
    did: `${fmt(o.requests)} fuzzed requests over ${routes.length} route/method pairs (${huge} of ${(hugeBytes / 1024 / 1024).toFixed(0)} MB)${forms ? `; ${forms.submissions} form submissions in Chromium` : ""}${serverActions ? `; ${fmt(serverActions.calls)} server-action calls over HTTP (forms up to 2 MB)` : ""}`,
    figures: `5xx ${fiveXX + (forms?.fiveXX ?? 0) + (serverActions?.fiveXX ?? 0)}, bad error shape ${shapeErrors}, balance changes from rejected ${unexplained}, dropped connections ${connectionErrors}; ${byStatus}${serverActions ? `; actions ${serverActions.byStatus}` : ""}`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}

/** One field of a valid body replaced by a nasty value, an unknown field added, or a forged workspace. */
function mutate(value: unknown, rng: Rng, victimId: string, victimExternalId: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return rng.pick(NASTY_VALUES);
  const v = { ...(value as Record<string, unknown>) };
  const roll = rng.next();
  if (roll < 0.2) v.workspace_id = victimId;
  else if (roll < 0.3) v.external_id = victimExternalId;
  else if (roll < 0.4) v[String(rng.pick(["__proto__", "constructor", "admin", "credits", "remaining"]))] = 1_000_000;
  else {
    const keys = Object.keys(v);
    const key = rng.pick(keys.length ? keys : ["action", "quantity", "actual", "estimate"])!;
    v[key] = rng.pick(NASTY_VALUES);
  }
  return v;
}

/** encodeURIComponent, except that a lone surrogate becomes the raw bytes of one (invalid UTF-8 in the path). */
function encodePart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}
