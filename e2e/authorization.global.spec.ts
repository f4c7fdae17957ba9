import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { ADMIN, expect, signIn, signUp, test, uniqueEmail } from "./support/fixtures";
import { sql } from "./support/services";

/**
 * The authorization matrix: every route and page of the app × every kind of caller → the status it must
 * get, written by hand. The table is checked against the files on disk: a route.ts or page.tsx without a
 * row fails the test, so a new endpoint cannot ship without saying who may call it.
 *
 * The callers act on one workspace W (its owner's keys, a member of it, its ids in URLs):
 *   anonymous     no cookie, no key
 *   member        a MEMBER of W, signed in, W current
 *   otherOwner    the owner of another workspace, signed in (W's ids in URLs and bodies)
 *   revokedKey    a revoked key of W
 *   otherKey      a valid key of another workspace naming W (forged workspace_id)
 *   workspaceKey  a valid key of W
 *   platformKey   an operator's platform key naming W
 *   admin         a platform operator, signed in (their own workspace current)
 * Keys are sent as `Authorization: Bearer`; pages and session routes ignore them (callers with a key
 * and no cookie are anonymous there). A page "307" is the redirect to /login; "404" is the plain
 * not-found answer that hides the operator console.
 */

const CALLERS = ["anonymous", "member", "otherOwner", "revokedKey", "otherKey", "workspaceKey", "platformKey", "admin"] as const;
type Caller = (typeof CALLERS)[number];
type Expect = Record<Caller, number>;

/** The same answer for every caller. */
const all = (status: number): Expect => Object.fromEntries(CALLERS.map((c) => [c, status])) as Expect;
/** Session pages and routes: keys count as anonymous. */
const session = (s: { anonymous: number; member: number; otherOwner: number; admin: number }): Expect => ({
  ...s,
  revokedKey: s.anonymous,
  otherKey: s.anonymous,
  workspaceKey: s.anonymous,
  platformKey: s.anonymous,
});
/** The metering API: only keys; a key of another workspace naming W is refused. */
const metered = (ok: number, overrides: Partial<Expect> = {}): Expect => ({
  anonymous: 401,
  member: 401,
  otherOwner: 401,
  revokedKey: 401,
  otherKey: 403,
  workspaceKey: ok,
  platformKey: ok,
  admin: 401,
  ...overrides,
});
const PORTAL_PAGE = session({ anonymous: 307, member: 200, otherOwner: 200, admin: 200 });
const ADMIN_PAGE = session({ anonymous: 307, member: 404, otherOwner: 404, admin: 200 });
const PUBLIC = all(200);
/** A redirect somewhere other than the sign-in page (a signed-in user opening /login goes to the portal). */
const AWAY = -307;

type Fixture = { W: string; eventId: () => Promise<string>; reservationId: () => Promise<string> };
/** `namesWorkspace: false`: the request names no workspace (keys otherwise add workspace_id=W). */
type Case = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string | ((f: Fixture) => Promise<string> | string);
  body?: object;
  expect: Expect;
  page?: boolean;
  namesWorkspace?: false;
};

/** One row per file under app/: its path relative to app/ → the request(s) that exercise it. */
const MATRIX: Record<string, Case[]> = {
  // ── pages ──
  "(marketing)/page.tsx": [{ method: "GET", path: "/", expect: PUBLIC, page: true }],
  "(marketing)/pricing/page.tsx": [{ method: "GET", path: "/pricing", expect: PUBLIC, page: true }],
  "(marketing)/docs/api/page.tsx": [{ method: "GET", path: "/docs/api", expect: PUBLIC, page: true }],
  // Public; a signed-in visitor's form is prefilled (the session is read, never required).
  "(marketing)/contact-sales/page.tsx": [
    { method: "GET", path: "/contact-sales?plan=enterprise&from=pricing", expect: PUBLIC, page: true },
  ],
  "(auth)/login/page.tsx": [
    { method: "GET", path: "/login", expect: session({ anonymous: 200, member: AWAY, otherOwner: AWAY, admin: AWAY }), page: true },
  ],
  "(auth)/signup/page.tsx": [{ method: "GET", path: "/signup", expect: PUBLIC, page: true }],
  "(auth)/forgot-password/page.tsx": [{ method: "GET", path: "/forgot-password", expect: PUBLIC, page: true }],
  "(auth)/reset-password/[token]/page.tsx": [{ method: "GET", path: "/reset-password/not-a-token", expect: PUBLIC, page: true }],
  "(auth)/verify-email/[token]/page.tsx": [{ method: "GET", path: "/verify-email/not-a-token", expect: PUBLIC, page: true }],
  "(auth)/invite/[token]/page.tsx": [{ method: "GET", path: "/invite/not-a-token", expect: PUBLIC, page: true }],
  // Authorized by the signed link of a usage notice, not by a session: without one, the page says so.
  "(auth)/mail/unsubscribe/page.tsx": [{ method: "GET", path: "/mail/unsubscribe?u=nobody&t=forged", expect: PUBLIC, page: true }],
  // The demo mail outbox exists in demo and test mode only (a 404 otherwise: test/unit covers the switch).
  "dev/mail/page.tsx": [{ method: "GET", path: "/dev/mail", expect: PUBLIC, page: true }],
  // Billing inside an AI product: the single-use link is the authority (a made-up one says "ask to reopen").
  "(portal)/portal/[token]/page.tsx": [{ method: "GET", path: "/portal/not-a-token", expect: PUBLIC, page: true }],
  "(portal)/embed/[token]/page.tsx": [{ method: "GET", path: "/embed/not-a-token", expect: PUBLIC, page: true }],
  "(portal)/portal/return/page.tsx": [{ method: "GET", path: "/portal/return?ps=nobody&checkout=cancelled", expect: PUBLIC, page: true }],
  "(app)/settings/billing/page.tsx": [{ method: "GET", path: "/settings/billing", expect: PORTAL_PAGE, page: true }],
  "(app)/settings/usage/page.tsx": [{ method: "GET", path: "/settings/usage", expect: PORTAL_PAGE, page: true }],
  "(app)/settings/api-keys/page.tsx": [{ method: "GET", path: "/settings/api-keys", expect: PORTAL_PAGE, page: true }],
  "(app)/settings/alerts/page.tsx": [{ method: "GET", path: "/settings/alerts", expect: PORTAL_PAGE, page: true }],
  "(app)/settings/members/page.tsx": [{ method: "GET", path: "/settings/members", expect: PORTAL_PAGE, page: true }],
  "(app)/settings/data/page.tsx": [{ method: "GET", path: "/settings/data", expect: PORTAL_PAGE, page: true }],
  "(app)/settings/account/page.tsx": [{ method: "GET", path: "/settings/account", expect: PORTAL_PAGE, page: true }],
  "(admin)/admin/page.tsx": [{ method: "GET", path: "/admin", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/workspaces/page.tsx": [{ method: "GET", path: "/admin/workspaces", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/workspaces/[id]/page.tsx": [{ method: "GET", path: (f) => `/admin/workspaces/${f.W}`, expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/ledger/page.tsx": [{ method: "GET", path: (f) => `/admin/ledger?workspace=${f.W}`, expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/prices/page.tsx": [{ method: "GET", path: "/admin/prices", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/prices/[action]/page.tsx": [{ method: "GET", path: "/admin/prices/aria.chat", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/catalog/page.tsx": [{ method: "GET", path: "/admin/catalog", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/keys/page.tsx": [{ method: "GET", path: "/admin/keys", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/stripe/page.tsx": [{ method: "GET", path: "/admin/stripe", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/audit/page.tsx": [{ method: "GET", path: "/admin/audit", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/x402/page.tsx": [{ method: "GET", path: "/admin/x402", expect: ADMIN_PAGE, page: true }],
  "(admin)/admin/leads/page.tsx": [{ method: "GET", path: "/admin/leads", expect: ADMIN_PAGE, page: true }],

  // ── public and infrastructure routes ──
  "api/health/route.ts": [{ method: "GET", path: "/api/health", expect: PUBLIC }],
  "api/ready/route.ts": [{ method: "GET", path: "/api/ready", expect: PUBLIC }],
  // Paths no route matches: a JSON 404 for everyone.
  "api/[...path]/route.ts": [
    { method: "GET", path: "/api/v1/no-such-endpoint", expect: all(404) },
    { method: "POST", path: "/api/nothing/here", body: {}, expect: all(404) },
  ],
  "api/ping/route.ts": [{ method: "GET", path: "/api/ping", expect: PUBLIC }],
  "api/auth/[...nextauth]/route.ts": [{ method: "GET", path: "/api/auth/providers", expect: PUBLIC }],
  "api/x402/status/route.ts": [{ method: "GET", path: "/api/x402/status", expect: PUBLIC }],
  // The payment is the authentication: every caller is asked to pay (402 + PAYMENT-REQUIRED); cookies and keys give nothing.
  "api/x402/credits/route.ts": [
    { method: "POST", path: "/api/x402/credits", body: { pack_id: "starter_1000" }, expect: all(402), namesWorkspace: false },
  ],
  "api/v1/pricing/route.ts": [{ method: "GET", path: "/api/v1/pricing", expect: PUBLIC }],
  "api/v1/openapi.json/route.ts": [{ method: "GET", path: "/api/v1/openapi.json", expect: PUBLIC }],
  // Signed by Stripe, not by a caller: without a valid signature everyone gets 400 and nothing happens.
  "api/stripe/webhook/route.ts": [
    { method: "POST", path: "/api/stripe/webhook", body: { id: "evt_forged", type: "checkout.session.completed" }, expect: all(400) },
  ],
  // One-click unsubscribe (RFC 8058): the signed link is the authority; a forged one is 400 for everyone.
  "api/mail/unsubscribe/route.ts": [
    { method: "POST", path: "/api/mail/unsubscribe?u=nobody&t=forged", body: {}, expect: all(400), namesWorkspace: false },
  ],
  // Test mode only (404 otherwise); they move the test clock or record usage for e2e specs.
  "api/test/clock/route.ts": [{ method: "GET", path: "/api/test/clock", expect: PUBLIC }],
  "api/test/usage/route.ts": [{ method: "POST", path: "/api/test/usage", body: {}, expect: all(400) }],
  "api/test/jobs/route.ts": [{ method: "POST", path: "/api/test/jobs", body: {}, expect: all(400) }],

  // ── the portal's session routes ──
  "api/workspace/balance/route.ts": [
    { method: "GET", path: "/api/workspace/balance", expect: session({ anonymous: 401, member: 200, otherOwner: 200, admin: 200 }) },
  ],
  "api/workspace/usage.csv/route.ts": [
    { method: "GET", path: "/api/workspace/usage.csv", expect: session({ anonymous: 401, member: 200, otherOwner: 200, admin: 200 }) },
  ],
  "api/workspace/export/route.ts": [
    { method: "GET", path: "/api/workspace/export", expect: session({ anonymous: 401, member: 403, otherOwner: 200, admin: 200 }) },
  ],
  "api/workspace/ledger.csv/route.ts": [
    { method: "GET", path: "/api/workspace/ledger.csv", expect: session({ anonymous: 401, member: 403, otherOwner: 200, admin: 200 }) },
  ],
  // Owners only; an owner gets past authorization to validation (400 for an empty body).
  "api/stripe/create-checkout/route.ts": [
    {
      method: "POST",
      path: "/api/stripe/create-checkout",
      body: {},
      expect: session({ anonymous: 401, member: 403, otherOwner: 400, admin: 400 }),
    },
  ],
  "api/stripe/change-plan/route.ts": [
    {
      method: "POST",
      path: "/api/stripe/change-plan",
      body: {},
      expect: session({ anonymous: 401, member: 403, otherOwner: 400, admin: 400 }),
    },
  ],
  "api/stripe/change-plan/preview/route.ts": [
    {
      method: "POST",
      path: "/api/stripe/change-plan/preview",
      body: {},
      expect: session({ anonymous: 401, member: 403, otherOwner: 400, admin: 400 }),
    },
  ],
  // Owners only; with no subscription there is nothing to undo (409).
  "api/stripe/change-plan/undo/route.ts": [
    { method: "POST", path: "/api/stripe/change-plan/undo", expect: session({ anonymous: 401, member: 403, otherOwner: 409, admin: 409 }) },
  ],
  // Any member: it only applies what Stripe says about the workspace's own checkout (another's is "unknown").
  "api/stripe/checkout-return/route.ts": [
    {
      method: "GET",
      path: "/api/stripe/checkout-return?session_id=cs_unknown",
      expect: session({ anonymous: 401, member: 200, otherOwner: 200, admin: 200 }),
    },
  ],
  "api/workspace/auto-top-up/route.ts": [
    { method: "GET", path: "/api/workspace/auto-top-up", expect: session({ anonymous: 401, member: 200, otherOwner: 200, admin: 200 }) },
    {
      method: "PUT",
      path: "/api/workspace/auto-top-up",
      body: { enabled: "maybe" },
      expect: session({ anonymous: 401, member: 403, otherOwner: 400, admin: 400 }),
    },
  ],
  "api/workspace/auto-top-up/notice/route.ts": [
    {
      method: "DELETE",
      path: "/api/workspace/auto-top-up/notice",
      expect: session({ anonymous: 401, member: 403, otherOwner: 200, admin: 200 }),
    },
  ],
  "api/stripe/auto-top-up/setup/route.ts": [
    {
      method: "POST",
      path: "/api/stripe/auto-top-up/setup",
      expect: session({ anonymous: 401, member: 403, otherOwner: 200, admin: 200 }),
    },
  ],
  "api/stripe/portal/route.ts": [
    { method: "POST", path: "/api/stripe/portal", expect: session({ anonymous: 401, member: 403, otherOwner: 200, admin: 200 }) },
  ],

  // ── billing inside an AI product: only a portal session's secret header opens these; cookies and keys give nothing ──
  "api/portal/balance/route.ts": [{ method: "GET", path: "/api/portal/balance", expect: all(401) }],
  "api/portal/plan/route.ts": [{ method: "GET", path: "/api/portal/plan", expect: all(401) }],
  "api/portal/checkout/route.ts": [{ method: "POST", path: "/api/portal/checkout", body: { pack_id: "starter_1000" }, expect: all(401) }],
  "api/portal/manage-billing/route.ts": [{ method: "POST", path: "/api/portal/manage-billing", expect: all(401) }],
  "api/portal/change-plan/route.ts": [{ method: "POST", path: "/api/portal/change-plan", body: { plan: "pro" }, expect: all(401) }],
  "api/portal/change-plan/preview/route.ts": [
    { method: "POST", path: "/api/portal/change-plan/preview", body: { plan: "pro" }, expect: all(401) },
  ],
  "api/portal/change-plan/undo/route.ts": [{ method: "POST", path: "/api/portal/change-plan/undo", expect: all(401) }],

  // ── the metering API (keys) ──
  "api/v1/track/route.ts": [{ method: "POST", path: "/api/v1/track", body: { action: "aria.chat" }, expect: metered(201) }],
  "api/v1/check/route.ts": [{ method: "POST", path: "/api/v1/check", body: { action: "aria.chat" }, expect: metered(200) }],
  "api/v1/balance/route.ts": [{ method: "GET", path: "/api/v1/balance", expect: metered(200) }],
  "api/v1/usage/route.ts": [{ method: "GET", path: "/api/v1/usage", expect: metered(200) }],
  "api/v1/entitlements/route.ts": [{ method: "GET", path: "/api/v1/entitlements", expect: metered(200) }],
  "api/v1/budgets/route.ts": [
    { method: "GET", path: "/api/v1/budgets", expect: metered(200) },
    { method: "PUT", path: "/api/v1/budgets", body: { scope: "workspace", period: "day", limit: 1_000_000 }, expect: metered(200) },
  ],
  // No such budget: a caller let in is answered 404, one kept out 401/403.
  "api/v1/budgets/[id]/route.ts": [{ method: "DELETE", path: "/api/v1/budgets/no-such-budget", expect: metered(404) }],
  "api/v1/entitlements/check/route.ts": [
    { method: "POST", path: "/api/v1/entitlements/check", body: { key: "seats", requested: 1 }, expect: metered(200) },
  ],
  "api/v1/reservations/route.ts": [
    { method: "POST", path: "/api/v1/reservations", body: { action: "stems.separate" }, expect: metered(201) },
  ],
  "api/v1/reservations/[id]/commit/route.ts": [
    {
      method: "POST",
      path: async (f) => `/api/v1/reservations/${await f.reservationId()}/commit`,
      body: { actual: 10 },
      expect: metered(200),
    },
  ],
  "api/v1/reservations/[id]/release/route.ts": [
    { method: "POST", path: async (f) => `/api/v1/reservations/${await f.reservationId()}/release`, body: {}, expect: metered(200) },
  ],
  "api/v1/events/[id]/route.ts": [{ method: "GET", path: async (f) => `/api/v1/events/${await f.eventId()}`, expect: metered(200) }],
  "api/v1/events/[id]/refund/route.ts": [
    { method: "POST", path: async (f) => `/api/v1/events/${await f.eventId()}/refund`, body: {}, expect: metered(200) },
  ],
  "api/v1/portal_sessions/route.ts": [
    {
      method: "POST",
      path: "/api/v1/portal_sessions",
      body: { user: { id: "authz", email: "authz@example.test", role: "viewer" } },
      expect: metered(201),
    },
  ],
  "api/v1/portal_sessions/[id]/revoke/route.ts": [
    { method: "POST", path: "/api/v1/portal_sessions/no-such-session/revoke", body: {}, expect: metered(404) },
  ],
  // The calling key's own origins: every valid key has its own (none names W).
  "api/v1/embed_origins/route.ts": [
    { method: "GET", path: "/api/v1/embed_origins", namesWorkspace: false, expect: metered(200, { otherKey: 200 }) },
    { method: "PUT", path: "/api/v1/embed_origins", body: { origins: [] }, namesWorkspace: false, expect: metered(200, { otherKey: 200 }) },
  ],
  // Platform keys only: a workspace key may not create workspaces.
  "api/v1/workspaces/[external_id]/route.ts": [
    {
      method: "PUT",
      path: () => `/api/v1/workspaces/ext-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      body: {},
      namesWorkspace: false,
      expect: metered(201, { workspaceKey: 403 }),
    },
  ],
};

function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "page.tsx" || entry.name === "route.ts") out.push(path.relative("app", full).split(path.sep).join("/"));
    }
  };
  walk("app");
  return out.sort();
}

test("every page and route on disk has a row in the authorization matrix", () => {
  const files = filesOnDisk();
  expect(
    files.filter((f) => !(f in MATRIX)),
    "files without a row",
  ).toEqual([]);
  expect(
    Object.keys(MATRIX).filter((f) => !files.includes(f)),
    "rows without a file",
  ).toEqual([]);
});

async function createKey(page: Page, name: string): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Key name").fill(name);
  await page.getByLabel("Actions per hour").fill("100000");
  await page.getByRole("button", { name: "Create key" }).click();
  return page.getByLabel("New API key").inputValue();
}

test("every caller gets exactly the status the matrix says, on every page and route", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(240_000);
  // W and its owner, with keys; the member; another workspace's owner and key; the operator's platform key.
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const ownerEmail = uniqueEmail("matrix-owner");
  await signUp(owner, ownerEmail, "Matrix Owner");
  const W = (await (await owner.request.get("/api/workspace/balance")).json()).workspaceId as string;
  const workspaceKey = await createKey(owner, "matrix");
  const revokedKey = await createKey(owner, "matrix revoked");
  owner.once("dialog", (d) => void d.accept());
  await owner.getByRole("listitem", { name: "Key matrix revoked" }).getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(owner.getByRole("listitem", { name: "Key matrix revoked" })).toContainText("Revoked");

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  const memberEmail = uniqueEmail("matrix-member");
  await signUp(memberPage, memberEmail, "Matrix Member");
  const [member] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [memberEmail]);
  await sql(`INSERT INTO "Membership" (id, "workspaceId", "userId", role, "createdAt") VALUES ($1, $2, $3, 'MEMBER', now())`, [
    `matrix-${W}`,
    W,
    member!.id,
  ]);
  await memberContext.addCookies([{ name: "cb_workspace", value: W, url: baseURL! }]);

  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signUp(other, uniqueEmail("matrix-other"), "Matrix Other");
  const otherKey = await createKey(other, "other");

  const adminContext = await browser.newContext();
  const admin = { page: await adminContext.newPage(), request: adminContext.request };
  await signIn(admin.page, ADMIN);
  await admin.page.goto("/admin/keys");
  await admin.page.getByLabel("Key name").fill(`matrix ${Date.now()}`);
  await admin.page.getByLabel("Actions per hour").fill("100000");
  await admin.page.getByRole("button", { name: "Create key" }).click();
  const platformKey = await admin.page.getByRole("textbox", { name: "New API key" }).inputValue();

  const anonymous = await playwright.request.newContext({ baseURL });
  const requestOf: Record<Caller, { ctx: APIRequestContext; key?: string }> = {
    anonymous: { ctx: anonymous },
    member: { ctx: memberContext.request },
    otherOwner: { ctx: otherContext.request },
    revokedKey: { ctx: anonymous, key: revokedKey },
    otherKey: { ctx: anonymous, key: otherKey },
    workspaceKey: { ctx: anonymous, key: workspaceKey },
    platformKey: { ctx: anonymous, key: platformKey },
    admin: { ctx: admin.request },
  };

  // Fresh ids of W for routes that consume them (a commit or refund happens once).
  const asOwnerKey = { authorization: `Bearer ${workspaceKey}` };
  // At most 10 pending reservations per key: the ones a refused caller left behind are released after each call.
  const reserved: string[] = [];
  const releaseLeftovers = async () => {
    for (const id of reserved.splice(0)) await anonymous.post(`/api/v1/reservations/${id}/release`, { headers: asOwnerKey, data: {} });
  };
  const fixture: Fixture = {
    W,
    eventId: async () => {
      const res = await anonymous.post("/api/v1/track", { headers: asOwnerKey, data: { action: "aria.chat" } });
      expect(res.status()).toBe(201);
      return (await res.json()).event_id as string;
    },
    reservationId: async () => {
      const res = await anonymous.post("/api/v1/reservations", { headers: asOwnerKey, data: { action: "stems.separate" } });
      expect(res.status()).toBe(201);
      const id = (await res.json()).reservation_id as string;
      reserved.push(id);
      return id;
    },
  };

  const mismatches: string[] = [];
  let checked = 0;
  for (const [file, cases] of Object.entries(MATRIX)) {
    for (const c of cases) {
      for (const caller of CALLERS) {
        const { ctx, key } = requestOf[caller];
        const p = typeof c.path === "function" ? await c.path(fixture) : c.path;
        // Keys name W: in the query for reads (and writes without a body), in the body for writes.
        const names = key !== undefined && p.startsWith("/api/v1/") && c.namesWorkspace !== false;
        const url = names && !c.body ? `${p}${p.includes("?") ? "&" : "?"}workspace_id=${W}` : p;
        const data = c.body ? { ...c.body, ...(names ? { workspace_id: W } : {}) } : undefined;
        const res = await ctx.fetch(url, {
          method: c.method,
          headers: key ? { authorization: `Bearer ${key}` } : {},
          ...(data ? { data } : {}),
          maxRedirects: 0,
        });
        checked++;
        await releaseLeftovers();
        let status = res.status();
        if (c.page && status === 307 && !(res.headers().location ?? "").includes("/login")) status = AWAY;
        if (status !== c.expect[caller])
          mismatches.push(`${c.method} ${p} as ${caller}: got ${status}, expected ${c.expect[caller]} (${file})`);
      }
    }
  }
  expect(mismatches, `${mismatches.length} of ${checked} answers differ from the matrix`).toEqual([]);
  await Promise.all([ownerContext.close(), memberContext.close(), otherContext.close(), adminContext.close(), anonymous.dispose()]);
});
