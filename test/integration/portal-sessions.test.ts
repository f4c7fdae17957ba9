import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { POST as createSession } from "@/app/api/v1/portal_sessions/route";
import { POST as revokeSession } from "@/app/api/v1/portal_sessions/[id]/revoke/route";
import { GET as getOrigins, PUT as putOrigins } from "@/app/api/v1/embed_origins/route";
import { GET as portalBalance } from "@/app/api/portal/balance/route";
import { GET as portalPlan } from "@/app/api/portal/plan/route";
import { POST as portalCheckout } from "@/app/api/portal/checkout/route";
import { POST as portalManageBilling } from "@/app/api/portal/manage-billing/route";
import { POST as portalPreview } from "@/app/api/portal/change-plan/preview/route";
import { POST as portalChangePlan } from "@/app/api/portal/change-plan/route";
import { POST as portalUndo } from "@/app/api/portal/change-plan/undo/route";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { openPortalSession, SESSION_TTL_MS, LINK_TTL_MS } from "@/lib/portal-sessions/sessions";
import { embedFrameAncestors, setAllowedOrigins } from "@/lib/portal-sessions/origins";
import { settlePortalReturn } from "@/lib/portal-sessions/billing";
import { revokeApiKey } from "@/lib/metering/keys";
import { call, keyFor } from "./api-support";
import { newAccount } from "./helpers";

// Billing inside the AI product (issue 23; docs/decisions/019-portal-sessions.md): links made by both
// kinds of key, single use, expiry, revocation, role scoping, allowed origins and the audit trail. Each
// test makes its own workspace and keys.

const SECRET = "x-creditbook-portal";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
const user = (role: "owner" | "member" | "viewer" = "owner") => ({
  id: `u-${randomUUID().slice(0, 8)}`,
  email: `Pat-${randomUUID().slice(0, 6)}@Product.test`,
  name: "Pat",
  role,
});

async function workspaceWithKey(tag: string) {
  const account = await newAccount(tag);
  const { key, client } = await keyFor(account.workspaceId);
  return { ...account, key, keyId: client.id };
}

/** A link for `role` made with the workspace's key, opened as the page would: its view and secret. */
async function openedSession(key: string, role: "owner" | "member" | "viewer" = "owner") {
  const created = await call(createSession, { key, body: { user: user(role), mode: "embedded" } });
  expect(created.status).toBe(201);
  const opened = await openPortalSession(tokenOf(created.json.url as string), "embed");
  if (!opened.ok) throw new Error(`opening failed: ${opened.reason}`);
  return { id: created.json.id as string, secret: opened.secret, view: opened.view };
}

describe("POST /api/v1/portal_sessions", () => {
  it("with a workspace key: a single-use link that expires within minutes; only its hash is kept, and its creation is audited", async () => {
    const w = await workspaceWithKey("portal-ws-key");
    const before = Date.now();
    const res = await call(createSession, {
      key: w.key,
      body: {
        user: { id: "user-1", email: "Ada@Example.test", name: "Ada", role: "owner" },
        return_url: "https://app.example.test/settings",
      },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(["expires_at", "id", "url"]);
    const url = new URL(res.json.url as string);
    expect(url.pathname).toMatch(/^\/portal\/[A-Za-z0-9_-]{43}$/);
    const expires = Date.parse(res.json.expires_at as string);
    expect(expires - before).toBeGreaterThan(LINK_TTL_MS - 5_000);
    expect(expires - before).toBeLessThanOrEqual(LINK_TTL_MS + 5_000);

    const token = tokenOf(res.json.url as string);
    const row = await db.portalSession.findUniqueOrThrow({ where: { id: res.json.id as string } });
    expect(row).toMatchObject({
      workspaceId: w.workspaceId,
      apiClientId: w.keyId,
      userRef: "user-1",
      userEmail: "ada@example.test",
      role: "OWNER",
      mode: "HOSTED",
      tokenHash: sha256(token),
      openedAt: null,
      secretHash: null,
    });
    expect(JSON.stringify(row)).not.toContain(token);

    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "portal_session.create", targetId: row.id } });
    expect(audit.data).toMatchObject({
      workspace_id: w.workspaceId,
      api_client_id: w.keyId,
      user_id: "user-1",
      user_email: "ada@example.test",
      role: "owner",
      mode: "portal",
    });
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("with a platform key naming the workspace by external_id or workspace_id; mode embedded answers the /embed/ address", async () => {
    const { workspaceId } = await newAccount("portal-platform-target");
    const externalId = `portal-ext-${randomUUID().slice(0, 8)}`;
    await db.workspace.update({ where: { id: workspaceId }, data: { externalId } });
    const { key } = await keyFor(null, { kind: "PLATFORM" });

    const byExternal = await call(createSession, { key, body: { external_id: externalId, user: user(), mode: "embedded" } });
    expect(byExternal.status).toBe(201);
    expect(new URL(byExternal.json.url as string).pathname).toMatch(/^\/embed\/[A-Za-z0-9_-]{43}$/);
    const byId = await call(createSession, { key, body: { workspace_id: workspaceId, user: user("viewer") } });
    expect(byId.status).toBe(201);
    const rows = await db.portalSession.findMany({ where: { id: { in: [byExternal.json.id as string, byId.json.id as string] } } });
    expect(rows.map((r) => r.workspaceId)).toEqual([workspaceId, workspaceId]);

    // A platform key must name a workspace, and one that exists.
    expect((await call(createSession, { key, body: { user: user() } })).status).toBe(400);
    expect((await call(createSession, { key, body: { external_id: `missing-${randomUUID()}`, user: user() } })).status).toBe(404);
  });

  it("refuses what it cannot use, in the error shape, and creates nothing", async () => {
    const w = await workspaceWithKey("portal-bad-input");
    const other = await newAccount("portal-other-ws");
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ user: { ...user(), role: "admin" } }, 400],
      [{ user: { ...user(), email: "not-an-email" } }, 400],
      [{ user: user(), return_url: "javascript:alert(1)" }, 400],
      [{ user: user(), return_url: "https://user:pw@example.test/" }, 400],
      [{ user: user(), mode: "popup" }, 400],
      [{ user: user(), extra: true }, 400],
      // A workspace key acts on its own workspace only.
      [{ user: user(), workspace_id: other.workspaceId }, 403],
      [{ user: user(), external_id: "someone" }, 403],
    ];
    for (const [body, status] of cases) {
      const res = await call(createSession, { key: w.key, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json.error?.code).toBeTruthy();
      expect(typeof res.json.error?.message).toBe("string");
    }
    expect((await call(createSession, { body: { user: user() } })).status).toBe(401);
    expect(await db.portalSession.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  });
});

describe("opening a link", () => {
  it("works once: the first opening gets the session's secret, every later one is refused and audited", async () => {
    const w = await workspaceWithKey("portal-single-use");
    const created = await call(createSession, { key: w.key, body: { user: user("member") } });
    const token = tokenOf(created.json.url as string);
    const started = Date.now();
    const first = await openPortalSession(token, "portal");
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.secret).not.toBe(token);
    expect(first.view).toMatchObject({ workspaceId: w.workspaceId, role: "MEMBER", productName: null });
    expect(first.view.expiresAt.getTime() - started).toBeGreaterThan(SESSION_TTL_MS - 5_000);
    const row = await db.portalSession.findUniqueOrThrow({ where: { id: created.json.id as string } });
    expect(row.secretHash).toBe(sha256(first.secret));
    expect(row.openedAt).not.toBeNull();

    const again = await openPortalSession(token, "embed");
    expect(again).toMatchObject({ ok: false, reason: "used" });
    const actions = (
      await db.auditLog.findMany({ where: { targetType: "portal_session", targetId: row.id }, orderBy: { createdAt: "asc" } })
    ).map((a) => a.action);
    expect(actions).toEqual(["portal_session.create", "portal_session.open", "portal_session.reuse_refused"]);
    expect(JSON.stringify(await db.auditLog.findMany({ where: { targetId: row.id } }))).not.toContain(first.secret);
  });

  it("of two racing openings, exactly one gets the session", async () => {
    const w = await workspaceWithKey("portal-race");
    const created = await call(createSession, { key: w.key, body: { user: user() } });
    const token = tokenOf(created.json.url as string);
    const outcomes = await Promise.all([
      openPortalSession(token, "embed"),
      openPortalSession(token, "embed"),
      openPortalSession(token, "portal"),
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason)).toEqual(["used", "used"]);
  });

  it("expires: an unopened link after its minutes, an open session after its hour", async () => {
    const w = await workspaceWithKey("portal-expiry");
    const created = await call(createSession, {
      key: w.key,
      body: { user: user(), product_name: "Patchline", return_url: "https://patchline.test/back" },
    });
    await db.portalSession.update({ where: { id: created.json.id as string }, data: { tokenExpiresAt: new Date(Date.now() - 1_000) } });
    expect(await openPortalSession(tokenOf(created.json.url as string), "portal")).toEqual({
      ok: false,
      reason: "expired",
      productName: "Patchline",
      returnUrl: "https://patchline.test/back",
      allowedOrigins: [],
    });

    const open = await openedSession(w.key);
    expect((await call(portalBalance, { headers: { [SECRET]: open.secret } })).status).toBe(200);
    await db.portalSession.update({ where: { id: open.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const ended = await call(portalBalance, { headers: { [SECRET]: open.secret } });
    expect(ended.status).toBe(401);
    expect(ended.json.error).toMatchObject({ code: "unauthenticated", reason: "session_expired" });
  });

  it("an unknown or malformed token is refused without a trace of it", async () => {
    expect(await openPortalSession("x".repeat(43), "embed")).toMatchObject({ ok: false, reason: "unknown" });
    expect(await openPortalSession("../../etc", "embed")).toMatchObject({ ok: false, reason: "unknown" });
    expect((await call(portalBalance, { headers: { [SECRET]: "nope" } })).status).toBe(401);
    expect((await call(portalBalance)).status).toBe(401);
  });
});

describe("revocation", () => {
  it("ends a link or an open session at once; twice is harmless; audited", async () => {
    const w = await workspaceWithKey("portal-revoke");
    const unopened = await call(createSession, { key: w.key, body: { user: user() } });
    const revoked = await call(revokeSession, { key: w.key, params: { id: unopened.json.id as string }, body: {} });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: unopened.json.id, status: "revoked", replayed: false });
    const twice = await call(revokeSession, { key: w.key, params: { id: unopened.json.id as string }, body: {} });
    expect(twice.json).toMatchObject({ replayed: true, revoked_at: revoked.json.revoked_at });
    expect(await openPortalSession(tokenOf(unopened.json.url as string), "portal")).toMatchObject({ ok: false, reason: "revoked" });

    const open = await openedSession(w.key);
    expect((await call(portalBalance, { headers: { [SECRET]: open.secret } })).status).toBe(200);
    expect((await call(revokeSession, { key: w.key, params: { id: open.id }, body: {} })).status).toBe(200);
    expect((await call(portalBalance, { headers: { [SECRET]: open.secret } })).status).toBe(401);
    expect(
      await db.auditLog.count({ where: { action: "portal_session.revoke", targetId: { in: [open.id, unopened.json.id as string] } } }),
    ).toBe(2);
  });

  it("only by a key that may act on the session's workspace; revoking the API key ends its sessions too", async () => {
    const w = await workspaceWithKey("portal-revoke-owner");
    const stranger = await workspaceWithKey("portal-revoke-stranger");
    const open = await openedSession(w.key);
    const refused = await call(revokeSession, { key: stranger.key, params: { id: open.id }, body: {} });
    expect(refused.status).toBe(404);
    expect((await call(revokeSession, { key: w.key, params: { id: "no-such-session" }, body: {} })).status).toBe(404);
    expect((await call(portalBalance, { headers: { [SECRET]: open.secret } })).status).toBe(200);

    const link = await call(createSession, { key: w.key, body: { user: user() } });
    await revokeApiKey({ id: w.keyId, workspaceId: w.workspaceId });
    expect((await call(portalBalance, { headers: { [SECRET]: open.secret } })).status).toBe(401);
    expect(await openPortalSession(tokenOf(link.json.url as string), "portal")).toMatchObject({ ok: false, reason: "revoked" });
  });
});

describe("what a session may see and do", () => {
  it("reads its own workspace's figures and plan, whatever the role", async () => {
    const w = await workspaceWithKey("portal-read");
    for (const role of ["owner", "member", "viewer"] as const) {
      const { secret } = await openedSession(w.key, role);
      const balance = await call(portalBalance, { headers: { [SECRET]: secret } });
      expect(balance.status).toBe(200);
      expect(balance.json).toMatchObject({ workspaceId: w.workspaceId, remaining: 400, alerts: [] });
      expect(balance.headers.get("cache-control")).toBe("no-store");
      const plan = await call(portalPlan, { headers: { [SECRET]: secret } });
      expect(plan.json).toMatchObject({ kind: "free", plan: { id: "free" } });
    }
  });

  it("only an owner buys: Checkout and the Billing Portal come back to the portal's return page, audited", async () => {
    const w = await workspaceWithKey("portal-buy");
    for (const role of ["member", "viewer"] as const) {
      const { secret } = await openedSession(w.key, role);
      const refused = await call(portalCheckout, { headers: { [SECRET]: secret }, body: { pack_id: "starter_1000" } });
      expect(refused.status).toBe(403);
      expect(refused.json.error?.code).toBe("forbidden");
      expect((await call(portalManageBilling, { headers: { [SECRET]: secret }, body: {} })).status).toBe(403);
      expect((await call(portalPreview, { headers: { [SECRET]: secret }, body: { plan: "pro" } })).status).toBe(403);
      expect((await call(portalChangePlan, { headers: { [SECRET]: secret }, body: { plan: "pro" } })).status).toBe(403);
      expect((await call(portalUndo, { headers: { [SECRET]: secret }, body: {} })).status).toBe(403);
    }
    const owner = await openedSession(w.key, "owner");
    const checkout = await call(portalCheckout, { headers: { [SECRET]: owner.secret }, body: { pack_id: "starter_1000" } });
    expect(checkout.status).toBe(200);
    expect(checkout.json.url).toMatch(/\/c\/pay\/cs_/);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "portal_session.checkout", targetId: owner.id } });
    expect(audit.data).toMatchObject({ workspace_id: w.workspaceId, pack_id: "starter_1000" });
    const { stripe } = await import("@/lib/billing/stripe/client");
    const session = await stripe().checkout.sessions.retrieve((audit.data as { checkout_session: string }).checkout_session);
    expect(session.success_url).toContain(`/portal/return?ps=${owner.id}&checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    // Not paid yet: the return page says it is confirming; an unknown pairing says nothing.
    expect(await settlePortalReturn(owner.id, session.id)).toEqual({ state: "confirming" });
    expect(await settlePortalReturn("no-such-portal-session", session.id)).toEqual({ state: "unknown" });

    const billingPortal = await call(portalManageBilling, { headers: { [SECRET]: owner.secret }, body: {} });
    expect(billingPortal.status).toBe(200);
    expect(billingPortal.json.url).toBeTruthy();
    expect((await call(portalCheckout, { headers: { [SECRET]: owner.secret }, body: { pack_id: "gold_999" } })).status).toBe(400);
    // Plan changes go through the subscription, which this Free workspace does not have: 409, as in Settings → Billing.
    expect((await call(portalPreview, { headers: { [SECRET]: owner.secret }, body: { plan: "pro" } })).status).toBe(409);
    expect((await call(portalUndo, { headers: { [SECRET]: owner.secret }, body: {} })).status).toBe(409);
  });
});

describe("allowed embed origins", () => {
  it("are the key's: set over the API (normalised, validated, audited) and written into the embed's frame-ancestors", async () => {
    const w = await workspaceWithKey("portal-origins");
    expect((await call(getOrigins, { key: w.key })).json).toEqual({ origins: [] });
    const set = await call(putOrigins, {
      key: w.key,
      method: "PUT",
      body: { origins: ["https://App.Example.test/", "http://localhost:5173", "https://app.example.test"] },
    });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ origins: ["https://app.example.test", "http://localhost:5173"] });
    expect((await call(getOrigins, { key: w.key })).json).toEqual(set.json);

    for (const origins of [
      ["https://app.example.test/path"],
      ["ftp://files.example.test"],
      ["*"],
      ["https://user:pw@example.test"],
      Array.from({ length: 11 }, (_, i) => `https://a${i}.example.test`),
    ]) {
      const bad = await call(putOrigins, { key: w.key, method: "PUT", body: { origins } });
      expect(bad.status, JSON.stringify(origins)).toBe(400);
    }
    expect((await call(getOrigins, { key: w.key })).json).toEqual(set.json);

    const link = await call(createSession, { key: w.key, body: { user: user(), mode: "embedded" } });
    expect(await embedFrameAncestors(tokenOf(link.json.url as string))).toBe(
      "frame-ancestors https://app.example.test http://localhost:5173",
    );
    expect(await embedFrameAncestors("x".repeat(43))).toBe("frame-ancestors 'none'");
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "api_key.embed_origins", targetId: w.keyId } });
    expect(audit.data).toMatchObject({
      before: { allowedOrigins: [] },
      after: { allowedOrigins: ["https://app.example.test", "http://localhost:5173"] },
    });
  });

  it("a platform key's are set by operators (and by the key itself); a workspace owner cannot reach another's key", async () => {
    const { key, client } = await keyFor(null, { kind: "PLATFORM" });
    const operator = await newAccount("portal-operator");
    await setAllowedOrigins({
      id: client.id,
      workspaceId: null,
      origins: "https://one.example.test, https://two.example.test",
      actorUserId: operator.userId,
    });
    expect((await call(getOrigins, { key })).json).toEqual({ origins: ["https://one.example.test", "https://two.example.test"] });
    expect((await call(putOrigins, { key, method: "PUT", body: { origins: [] } })).json).toEqual({ origins: [] });

    const w = await workspaceWithKey("portal-origins-scope");
    await expect(
      setAllowedOrigins({ id: client.id, workspaceId: w.workspaceId, origins: "https://evil.example.test" }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await call(getOrigins, { key })).json).toEqual({ origins: [] });
  });
});

describe("the OpenAPI document", () => {
  it("covers the portal session and embed origin operations", async () => {
    const doc = await openapi().json();
    expect(doc.paths["/api/v1/portal_sessions"].post.operationId).toBe("createPortalSession");
    expect(doc.paths["/api/v1/portal_sessions/{id}/revoke"].post.operationId).toBe("revokePortalSession");
    expect(doc.paths["/api/v1/embed_origins"].get.operationId).toBe("getEmbedOrigins");
    expect(doc.paths["/api/v1/embed_origins"].put.operationId).toBe("setEmbedOrigins");
    const body = doc.components.schemas.PortalSessionCreate;
    expect(body.properties.user.properties.role.enum).toEqual(["owner", "member", "viewer"]);
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(["workspace_id", "external_id", "user", "return_url", "product_name", "mode"]),
    );
    expect(doc.components.schemas.PortalSession.required).toEqual(["id", "url", "expires_at"]);
  });
});
