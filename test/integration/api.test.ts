import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { revokeApiKey } from "@/lib/metering/keys";
import { POST as track } from "@/app/api/v1/track/route";
import { POST as checkRoute } from "@/app/api/v1/check/route";
import { POST as reserveRoute } from "@/app/api/v1/reservations/route";
import { POST as commitRoute } from "@/app/api/v1/reservations/[id]/commit/route";
import { POST as releaseRoute } from "@/app/api/v1/reservations/[id]/release/route";
import { POST as refundRoute } from "@/app/api/v1/events/[id]/refund/route";
import { GET as eventRoute } from "@/app/api/v1/events/[id]/route";
import { GET as balanceRoute } from "@/app/api/v1/balance/route";
import { GET as usageRoute } from "@/app/api/v1/usage/route";
import { GET as pricingRoute } from "@/app/api/v1/pricing/route";
import { GET as x402Route } from "@/app/api/x402/status/route";
import { PUT as upsertWorkspace } from "@/app/api/v1/workspaces/[external_id]/route";
import { call, keyFor } from "./api-support";
import { expectInvariants, mailedLink, newAccount, tokenOf, workspaceWith } from "./helpers";
import { acceptInvitation } from "@/lib/teams/invitations";
import { listMyWorkspaces } from "@/lib/teams/members";

afterEach(() => {
  testClock.reset();
});

describe("authentication", () => {
  it("answers 401 in the error shape for missing, malformed, unknown and revoked keys", async () => {
    const { workspaceId } = await newAccount("auth");
    const { key, client } = await keyFor(workspaceId);
    const body = { action: "aria.chat" };
    for (const bad of [undefined, "nonsense", `${key.slice(0, -1)}x`, "cb_live_AAAAAAAAAAAA_" + "a".repeat(43)]) {
      const r = await call(track, { key: bad, body });
      expect(r.status).toBe(401);
      expect(r.json.error).toMatchObject({ code: "unauthenticated", retryable: false });
      expect(r.json.error?.actionable_next_step).toBeTruthy();
    }
    expect((await call(track, { key, body })).status).toBe(201);
    await revokeApiKey({ id: client.id, workspaceId });
    expect((await call(track, { key, body })).status).toBe(401);
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(1);
  });
});

describe("POST /api/v1/track", () => {
  it("400, not 500, for a NUL character anywhere in the body or in an id of the URL; nothing is charged", async () => {
    const { workspaceId } = await newAccount("nul");
    const { key } = await keyFor(workspaceId);
    const before = (await call(balanceRoute, { key, method: "GET" })).json.remaining;
    for (const body of [
      { action: "aria.chat", subject: "a\u0000b" },
      { action: "aria.chat", metadata: { deep: [{ ["k\u0000"]: 1 }] } },
    ]) {
      const res = await call(track, { key, body });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "invalid_request" });
      expect(res.json.error?.message).toContain("NUL");
    }
    const refund = await call(refundRoute, { key, params: { id: "\u0000" }, body: {} });
    expect(refund.status).toBe(400);
    expect((await call(balanceRoute, { key, method: "GET" })).json.remaining).toBe(before);
  });

  it("400, not 500, for JSON nested deeper than 32 levels (metadata 5,000 deep made PostgreSQL fail); 30 levels are stored", async () => {
    const { workspaceId } = await newAccount("deep");
    const { key } = await keyFor(workspaceId);
    const nest = (levels: number) => {
      let v: unknown = "bottom";
      for (let i = 0; i < levels; i++) v = { d: v };
      return v as Record<string, unknown>;
    };
    // Written out as text: a value this deep is past what JSON.stringify can walk.
    const deepBody = (levels: number) => `{"action":"aria.chat","metadata":${'{"d":'.repeat(levels)}"bottom"${"}".repeat(levels)}}`;
    for (const levels of [33, 3_000, 5_000]) {
      const res = await call(track, { key, rawBody: deepBody(levels) });
      expect(res.status, `${levels} levels`).toBe(400);
      expect(res.json.error).toMatchObject({ code: "invalid_request" });
      expect(res.json.error?.message).toContain("32 levels");
    }
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(0);
    const ok = await call(track, { key, body: { action: "aria.chat", metadata: nest(30) } });
    expect(ok.status).toBe(201);
    const stored = await db.usageEvent.findFirstOrThrow({ where: { workspaceId }, select: { metadata: true } });
    expect(stored.metadata).toEqual(nest(30));
  });

  it("201 with event, charge, remaining and reset date; the same key repeats with 200; another quantity is 409", async () => {
    const { workspaceId } = await newAccount("track");
    const { key } = await keyFor(workspaceId);
    const first = await call(track, { key, body: { action: "image.generate", idempotency_key: "img-7", subject: "release-1" } });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ status: "completed", credits_charged: 5, remaining: 395, replayed: false });
    expect(first.json.reset_at).toMatch(/T00:00:00.000Z$/);
    expect(first.headers.get("RateLimit-Limit")).toBe("60");
    expect(first.headers.get("RateLimit-Remaining")).toBe("59");
    expect(first.headers.get("RateLimit-Policy")).toBe('"hourly";q=60;w=3600');
    expect(first.headers.get("RateLimit")).toMatch(/^"hourly";r=59;t=\d+$/);

    const again = await call(track, { key, body: { action: "image.generate", idempotency_key: "img-7", subject: "release-1" } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ event_id: first.json.event_id, credits_charged: 5, replayed: true });

    const conflict = await call(track, { key, body: { action: "image.generate", quantity: 2, idempotency_key: "img-7" } });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toMatchObject({ code: "idempotency_conflict", retryable: false });
    await expectInvariants(workspaceId);
  });

  it("402 insufficient_credits with remaining, reset date and refill links — and no Retry-After", async () => {
    const { workspaceId } = await workspaceWith(3, "broke");
    const { key } = await keyFor(workspaceId);
    const r = await call(track, { key, body: { action: "video.generate" } });
    expect(r.status).toBe(402);
    expect(r.headers.get("Retry-After")).toBeNull();
    expect(r.json.error).toMatchObject({
      code: "insufficient_credits",
      retryable: false,
      required: 20,
      remaining: 3,
      next_plan: { id: "starter", name: "Starter", monthly_credits: 1000 },
    });
    expect(r.json.error?.reset_at).toMatch(/T00:00:00.000Z$/);
    expect(r.json.error?.buy_pack_url).toMatch(/\/settings\/billing#packs$/);
    expect(r.json.error?.actionable_next_step).toMatch(/Buy a credit pack .* or upgrade to Starter .*retrying will not help/);
  });

  it("429 credits_exhausted with Retry-After until the reset for MCP tools", async () => {
    testClock.set(new Date("2031-03-31T22:00:00Z"));
    const { workspaceId } = await workspaceWith(0, "mcp");
    const { key } = await keyFor(workspaceId);
    const r = await call(track, { key, body: { action: "mcp.generate_pitch" } });
    expect(r.status).toBe(429);
    expect(r.json.error).toMatchObject({ code: "credits_exhausted", retryable: true });
    // Two hours to the reset, counted from when the request ran: the test clock keeps ticking after
    // it is set, and on a busy machine a second or more passes before the call (it read 7199 once).
    const wait = Number(r.headers.get("Retry-After"));
    expect(wait).toBeLessThanOrEqual(7200);
    expect(wait).toBeGreaterThan(7200 - 60);
    expect(r.json.error?.actionable_next_step).toMatch(/upgrade to Starter/);
  });

  it("202 queued with its position for sonic analysis out of credits", async () => {
    const { workspaceId } = await workspaceWith(0, "queued");
    const { key } = await keyFor(workspaceId);
    const a = await call(track, { key, body: { action: "sonic.analysis", subject: "track-1" } });
    const b = await call(track, { key, body: { action: "sonic.analysis", subject: "track-2" } });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.json).toMatchObject({ status: "queued", credits_due: 5, position: 2 });
    const event = await call(eventRoute, { key, params: { id: String(a.json.event_id) } });
    expect(event.json).toMatchObject({ status: "queued", charged_at: null, action: "sonic.analysis" });
  });

  it("403 policy_denied for an action outside the key's list, distinct from quota denials", async () => {
    const { workspaceId } = await newAccount("policy");
    const { key } = await keyFor(workspaceId, { allowedActions: ["aria.chat"] });
    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201);
    const r = await call(track, { key, body: { action: "video.generate" } });
    expect(r.status).toBe(403);
    expect(r.json.error).toMatchObject({ code: "policy_denied" });
  });

  it("the 61st action call in the hour is 429 rate_limited with Retry-After; reads have their own budget", async () => {
    const { workspaceId } = await newAccount("cap");
    const { key } = await keyFor(workspaceId);
    const statuses = [];
    for (let i = 0; i < 61; i++) statuses.push((await call(track, { key, body: { action: "background.refresh" } })).status);
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    const over = await call(track, { key, body: { action: "background.refresh" } });
    expect(over.status).toBe(429);
    expect(over.json.error).toMatchObject({ code: "rate_limited", retryable: true, limit: 60 });
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(over.headers.get("RateLimit-Remaining")).toBe("0");
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(60);
    const read = await call(balanceRoute, { key });
    expect(read.status).toBe(200);
    expect(read.headers.get("RateLimit-Limit")).toBe("3600");
  });

  it.each([
    ["malformed JSON", { rawBody: "{nope" }, 400, "invalid_request"],
    ["a wrong type", { body: { action: "aria.chat", quantity: "2" } }, 400, "invalid_request"],
    ["a negative quantity", { body: { action: "aria.chat", quantity: -1 } }, 400, "invalid_request"],
    ["a fractional quantity", { body: { action: "aria.chat", quantity: 1.5 } }, 400, "invalid_request"],
    ["a huge quantity", { body: { action: "aria.chat", quantity: 1e21 } }, 400, "invalid_request"],
    ["an unknown field", { body: { action: "aria.chat", credits: 0 } }, 400, "invalid_request"],
    ["an unknown action", { body: { action: "no.such.thing" } }, 422, "validation_failed"],
    ["a form body", { rawBody: "action=aria.chat", contentType: "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
    ["a body over 64 KB", { body: { action: "aria.chat", metadata: { blob: "x".repeat(70_000) } } }, 413, "payload_too_large"],
  ])("refuses %s with %s and writes nothing", async (_label, request, status, code) => {
    const { workspaceId } = await newAccount("bad");
    const { key } = await keyFor(workspaceId);
    const r = await call(track, { key, ...request });
    expect(r.status).toBe(status);
    expect(r.json.error).toMatchObject({ code });
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(0);
  });
});

describe("check, reservations, events, refunds, balance and usage", () => {
  it("walk an async job from check to commit, and a failed one to release", async () => {
    const { workspaceId } = await workspaceWith(40, "flow");
    const { key } = await keyFor(workspaceId);
    const dry = await call(checkRoute, { key, body: { action: "stems.separate" } });
    expect(dry.json).toMatchObject({ allowed: true, cost: 15, remaining: 40, remaining_after: 25 });

    const hold = await call(reserveRoute, { key, body: { action: "stems.separate" } });
    expect(hold.status).toBe(201);
    expect(hold.json).toMatchObject({ status: "pending", credits_held: 15, remaining: 25 });
    const id = String(hold.json.reservation_id);
    const commit = await call(commitRoute, { key, params: { id }, body: { actual: 12 } });
    expect(commit.json).toMatchObject({ status: "completed", credits_charged: 12, short: false, remaining: 28 });

    const failed = await call(reserveRoute, { key, body: { action: "video.generate", estimate: 20 } });
    const released = await call(releaseRoute, { key, params: { id: String(failed.json.reservation_id) } });
    expect(released.json).toMatchObject({ status: "released", credits_released: 20 });

    const refunded = await call(refundRoute, { key, params: { id }, body: { reason: "stems were empty" } });
    expect(refunded.json).toMatchObject({ status: "refunded", credits_refunded: 12 });
    expect((await call(refundRoute, { key, params: { id }, body: {} })).json).toMatchObject({ replayed: true });

    const balance = await call(balanceRoute, { key });
    expect(balance.json).toMatchObject({
      remaining: 40,
      held: 0,
      used: 0,
      remaining_by_type: { subscription: 0, bonus: 40, purchased: 0 },
    });
    const usage = await call(usageRoute, { key, path: "/api/v1/usage?limit=1" });
    expect((usage.json.data as unknown[]).length).toBe(1);
    const page2 = await call(usageRoute, { key, path: `/api/v1/usage?limit=1&cursor=${usage.json.next_cursor}` });
    expect((page2.json.data as { id: string }[])[0]?.id).not.toBe((usage.json.data as { id: string }[])[0]?.id);
    const onlyRefunded = await call(usageRoute, { key, path: "/api/v1/usage?status=refunded" });
    expect((onlyRefunded.json.data as { id: string }[]).map((e) => e.id)).toEqual([id]);
    await expectInvariants(workspaceId);
  });

  it("the 11th pending reservation of a key is 429 too_many_pending with Retry-After", async () => {
    const { workspaceId } = await newAccount("pending");
    const { key } = await keyFor(workspaceId, { maxPending: 10 });
    for (let i = 0; i < 10; i++) expect((await call(reserveRoute, { key, body: { action: "aria.chat" } })).status).toBe(201);
    const r = await call(reserveRoute, { key, body: { action: "aria.chat" } });
    expect(r.status).toBe(429);
    expect(r.json.error).toMatchObject({ code: "too_many_pending" });
    expect(Number(r.headers.get("Retry-After"))).toBeGreaterThan(3500);
  });

  it("keeps workspaces apart: another workspace's event is 404, a forged workspace_id is 403", async () => {
    const a = await newAccount("owner-a");
    const b = await newAccount("owner-b");
    const keyA = (await keyFor(a.workspaceId)).key;
    const keyB = (await keyFor(b.workspaceId)).key;
    const event = await call(track, { key: keyA, body: { action: "aria.chat" } });
    expect((await call(eventRoute, { key: keyB, params: { id: String(event.json.event_id) } })).status).toBe(404);
    expect((await call(refundRoute, { key: keyB, params: { id: String(event.json.event_id) }, body: {} })).status).toBe(404);
    expect((await call(track, { key: keyB, body: { action: "aria.chat", workspace_id: a.workspaceId } })).status).toBe(403);
    expect(await db.usageEvent.count({ where: { workspaceId: a.workspaceId } })).toBe(1);
  });
});

describe("platform keys", () => {
  it("upsert workspaces by external id and meter two of them, each with its own hourly count", async () => {
    const { key } = await keyFor(null, { kind: "PLATFORM", hourlyCap: 2 });
    const ext1 = `cust-${Date.now()}-1`;
    const ext2 = `cust-${Date.now()}-2`;
    const created = await call(upsertWorkspace, { method: "PUT", key, params: { external_id: ext1 }, body: { name: "Customer One" } });
    expect(created.status).toBe(201);
    expect((await call(upsertWorkspace, { method: "PUT", key, params: { external_id: ext1 }, body: {} })).status).toBe(200);
    await call(upsertWorkspace, { method: "PUT", key, params: { external_id: ext2 }, body: {} });

    const t1 = await call(track, { key, body: { action: "aria.chat", external_id: ext1 } });
    expect(t1.json).toMatchObject({ credits_charged: 1, remaining: 399 });
    expect((await call(track, { key, body: { action: "aria.chat", external_id: ext1 } })).status).toBe(201);
    expect((await call(track, { key, body: { action: "aria.chat", external_id: ext1 } })).status).toBe(429);
    expect((await call(track, { key, body: { action: "aria.chat", external_id: ext2 } })).status).toBe(201);

    const missing = await call(track, { key, body: { action: "aria.chat" } });
    expect(missing.status).toBe(400);
    expect((await call(track, { key, body: { action: "aria.chat", external_id: "nobody" } })).status).toBe(404);
    const ws1 = await db.workspace.findUniqueOrThrow({ where: { externalId: ext1 } });
    expect(ws1.name).toBe("Customer One");
    await expectInvariants(ws1.id);
  });

  it("a request naming a workspace_id and an external_id of two different workspaces is a 400, not a charge to either", async () => {
    const { key } = await keyFor(null, { kind: "PLATFORM" });
    const [a, b] = [`pair-${Date.now()}-a`, `pair-${Date.now()}-b`];
    const wa = (await call(upsertWorkspace, { method: "PUT", key, params: { external_id: a }, body: {} })).json.workspace_id as string;
    const wb = (await call(upsertWorkspace, { method: "PUT", key, params: { external_id: b }, body: {} })).json.workspace_id as string;
    const mixed = await call(track, { key, body: { action: "aria.chat", workspace_id: wa, external_id: b } });
    expect(mixed.status).toBe(400);
    expect(mixed.json.error).toMatchObject({ code: "invalid_request", field: "external_id" });
    const halfMissing = await call(track, { key, body: { action: "aria.chat", workspace_id: wa, external_id: "no-such-customer" } });
    expect(halfMissing.status).toBe(400);
    expect(await db.usageEvent.count({ where: { workspaceId: { in: [wa, wb] } } })).toBe(0);
    // The same workspace both ways is fine.
    expect((await call(track, { key, body: { action: "aria.chat", workspace_id: wb, external_id: b } })).status).toBe(201);
  });

  it("owner_email of an existing user invites them as owner (a mailed link) instead of making them one without consent", async () => {
    const { key } = await keyFor(null, { kind: "PLATFORM" });
    const victim = await newAccount("platform-owner");
    const ext = `owned-${Date.now()}`;
    const created = await call(upsertWorkspace, {
      method: "PUT",
      key,
      params: { external_id: ext },
      body: { owner_email: victim.email.toUpperCase() },
    });
    expect(created.status).toBe(201);
    expect(created.json.owner_invitation).toMatchObject({ email: victim.email });
    const workspaceId = created.json.workspace_id as string;
    expect(await db.membership.count({ where: { workspaceId } })).toBe(0);
    expect((await listMyWorkspaces(victim.userId)).map((w) => w.id)).not.toContain(workspaceId);
    const link = await mailedLink(victim.email, "invitation");
    const accepted = await acceptInvitation({ token: tokenOf(link), userId: victim.userId });
    expect(accepted).toMatchObject({ workspaceId, role: "OWNER" });
  });

  it("workspace keys cannot create workspaces", async () => {
    const { workspaceId } = await newAccount("no-upsert");
    const { key } = await keyFor(workspaceId);
    expect((await call(upsertWorkspace, { method: "PUT", key, params: { external_id: "x" }, body: {} })).status).toBe(403);
  });
});

describe("public pricing", () => {
  it("reads the live price table: an edit shows on the next request, in credits and USDC", async () => {
    const before = await call(pricingRoute);
    const chat = (before.json.actions as { action: string; credits: number; usd: string }[]).find((a) => a.action === "aria.chat");
    expect(chat).toMatchObject({ credits: 1, usd: "0.01" });
    expect(before.json.plans).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "pro", monthly_credits: 5000, price_monthly_cents: 2900 })]),
    );

    // An action of this test's own: editing a seeded one would change what tests running beside this
    // file are charged (the ledger model expects royalty.parse at 5 credits).
    const seeded = await db.actionPrice.findFirstOrThrow({ where: { actionKey: "royalty.parse" }, orderBy: { version: "desc" } });
    const { id: _id, createdAt: _c, ...rest } = seeded;
    const actionKey = `pricing.edit_${randomUUID().slice(0, 8)}`;
    await db.actionPrice.create({
      data: { ...rest, actionKey, version: 1, credits: 5, effectiveFrom: new Date(Date.now() - 2000), reason: "test action" },
    });
    try {
      const first = await call(pricingRoute);
      expect((first.json.actions as { action: string; credits: number }[]).find((a) => a.action === actionKey)).toMatchObject({
        credits: 5,
      });
      await db.actionPrice.create({
        data: { ...rest, actionKey, version: 2, credits: 39, effectiveFrom: new Date(Date.now() - 1000), reason: "test edit" },
      });
      const after = await call(pricingRoute);
      expect((after.json.actions as { action: string; credits: number; usd: string }[]).find((a) => a.action === actionKey)).toMatchObject({
        credits: 39,
        usd: "0.39",
      });
      const x402 = await call(x402Route);
      expect(x402.json).toMatchObject({ enabled: true, network: "eip155:84532", token: "USDC", pricing_model: "ceiling-quote" });
      expect(
        (x402.json.enabled_tools as { tool: string; price_usdc: string; sync: boolean }[]).find((t) => t.tool === actionKey),
      ).toMatchObject({ price_usdc: "0.39", sync: true });
    } finally {
      await db.actionPrice.deleteMany({ where: { actionKey } });
    }
  });
});
