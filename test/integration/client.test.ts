import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createApiKey } from "@/lib/metering/keys";
import {
  ConflictError,
  Creditbook,
  InsufficientCreditsError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  type CreditbookOptions,
} from "../../packages/client/src/index";
import { keyFor } from "./api-support";
import { expectInvariants, workspaceWith } from "./helpers";
import { routeTarget } from "./route-target";

// The typed client (packages/client) against the real route handlers and the real PostgreSQL of the
// integration run: its fetch goes to the in-process route target (which also checks every answer
// against the OpenAPI document). Nothing of ours is mocked; the fetches below only count, drop or
// observe requests on their way to the real handlers.

type Seen = { method: string; path: string; body: string | null };

/** The app's route handlers as a fetch, recording every request. */
function appFetch(seen: Seen[] = []) {
  const target = routeTarget("client");
  const fetch = async (request: Request): Promise<Response> => {
    const body = request.method === "GET" ? null : await request.text();
    const url = new URL(request.url);
    seen.push({ method: request.method, path: url.pathname, body });
    return target.fetch(`${url.pathname}${url.search}`, { method: request.method, headers: request.headers, body });
  };
  return { fetch, seen };
}

function client(apiKey: string, options: Partial<CreditbookOptions> = {}) {
  const app = appFetch();
  const sleeps: number[] = [];
  const cb = new Creditbook({
    apiKey,
    baseUrl: "http://creditbook.test",
    fetch: app.fetch,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
  return { cb, seen: app.seen, sleeps };
}

async function charged(workspaceId: string): Promise<number> {
  const rows = await db.usageEvent.findMany({ where: { workspaceId, status: "COMPLETED" }, select: { credits: true } });
  return rows.reduce((s, r) => s + r.credits, 0);
}

describe("@creditbook/client against the app", () => {
  it("track, check, balance, event, refund, pricing and entitlements, typed by the contract", async () => {
    const { workspaceId } = await workspaceWith(100, "client-basics");
    const { key } = await keyFor(workspaceId);
    const { cb, seen } = client(key);

    const check = await cb.check({ action: "aria.chat" });
    expect(check).toMatchObject({ allowed: true, outcome: "charge", cost: 1, remaining: 100, remaining_after: 99 });

    const tracked = await cb.track({ action: "aria.chat", subject: "conv-1" });
    expect(tracked).toMatchObject({ status: "completed", credits_charged: 1, remaining: 99, replayed: false });
    // An idempotency key was generated and sent.
    expect(JSON.parse(seen.at(-1)!.body!).idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    if (!("event_id" in tracked)) throw new Error("no event id");

    const event = await cb.event(tracked.event_id);
    expect(event).toMatchObject({ id: tracked.event_id, action: "aria.chat", status: "completed", credits: 1, subject: "conv-1" });

    const balance = await cb.balance();
    expect(balance).toMatchObject({ workspace_id: workspaceId, remaining: 99, used: 1 });

    const refund = await cb.refund(tracked.event_id, { reason: "bad answer" });
    expect(refund).toMatchObject({ event_id: tracked.event_id, status: "refunded", credits_refunded: 1, replayed: false });
    expect((await cb.balance()).remaining).toBe(100);

    const pricing = await cb.pricing();
    expect(pricing.actions.find((a) => a.action === "aria.chat")).toMatchObject({ credits: 1 });
    expect(pricing.plans.map((p) => p.id)).toContain("starter");

    const entitlements = await cb.entitlements();
    expect(entitlements).toMatchObject({ workspace_id: workspaceId, plan: { id: "free" } });
    const seat = await cb.checkEntitlement({ key: "seats", add: 1 });
    expect(seat).toMatchObject({ key: "seats" });
    expect(typeof seat.allowed).toBe("boolean");

    await expect(cb.event("no-such-event")).rejects.toBeInstanceOf(NotFoundError);
    await expectInvariants(workspaceId);
  });

  it("reserve → commit and reserve → release", async () => {
    const { workspaceId } = await workspaceWith(200, "client-reserve");
    const { key } = await keyFor(workspaceId);
    const { cb } = client(key);

    const hold = await cb.reserve({ action: "video.generate" });
    expect(hold).toMatchObject({ status: "pending", credits_held: 20, replayed: false });
    expect(await hold.commit(12)).toMatchObject({
      reservation_id: hold.reservation_id,
      status: "completed",
      credits_charged: 12,
      short: false,
    });

    const other = await cb.reserve({ action: "video.generate", estimate: 30 });
    expect(other.credits_held).toBe(30);
    expect(await other.release()).toMatchObject({ reservation_id: other.reservation_id, status: "released", credits_released: 30 });
    expect((await cb.balance()).remaining).toBe(188);

    // A track that reuses a reservation's idempotency key answers that reservation, replayed (documented as TrackHeldReplay).
    const keyed = await cb.reserve({ action: "video.generate", idempotency_key: "job-1" });
    expect(await cb.track({ action: "video.generate", idempotency_key: "job-1" })).toEqual({
      event_id: keyed.reservation_id,
      status: "pending",
      credits_held: 20,
      remaining: 168,
      reset_at: keyed.reset_at,
      replayed: true,
    });
    await keyed.release();
    await expectInvariants(workspaceId);
  });

  it("withReservation commits what the work returns, and releases the hold when it throws", async () => {
    const { workspaceId } = await workspaceWith(200, "client-with");
    const { key } = await keyFor(workspaceId);
    const { cb } = client(key);

    const done = await cb.withReservation("video.generate", 25, async (r) => {
      expect(r.credits_held).toBe(25);
      expect((await cb.balance()).held).toBe(25);
      return { actual: 17, value: "video.mp4" };
    });
    expect(done.value).toBe("video.mp4");
    expect(done.committed).toMatchObject({ status: "completed", credits_charged: 17 });

    let heldId = "";
    await expect(
      cb.withReservation("video.generate", undefined, async (r) => {
        heldId = r.reservation_id;
        throw new Error("the render farm is down");
      }),
    ).rejects.toThrow("the render farm is down");
    expect(await cb.event(heldId)).toMatchObject({ status: "released" });
    const balance = await cb.balance();
    expect(balance).toMatchObject({ remaining: 183, held: 0 });
    await expectInvariants(workspaceId);
  });

  it("usage() walks every page exactly once, newest first", async () => {
    const { workspaceId } = await workspaceWith(100, "client-usage");
    const { key } = await keyFor(workspaceId);
    const { cb, seen } = client(key);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await cb.track({ action: "aria.chat", subject: `s-${i}` });
      if ("event_id" in r) ids.push(r.event_id);
    }
    const before = seen.length;
    const walked: string[] = [];
    for await (const event of cb.usage({ limit: 3 })) walked.push(event.id);
    expect(walked).toEqual([...ids].reverse());
    expect(new Set(walked).size).toBe(7);
    // 3 + 3 + 1: three pages, each fetched once.
    expect(seen.slice(before).map((s) => s.path)).toEqual(["/api/v1/usage", "/api/v1/usage", "/api/v1/usage"]);
  });

  it("platform keys: workspaces.upsert, then meter the customer's workspace by external id", async () => {
    const { key } = await createApiKey({ kind: "PLATFORM", workspaceId: null, name: "client platform" });
    const { cb } = client(key);
    const externalId = `customer-${randomUUID().slice(0, 8)}`;
    const created = await cb.workspaces.upsert(externalId, { name: "Customer" });
    expect(created).toMatchObject({ external_id: externalId, created: true });
    expect(await cb.workspaces.upsert(externalId)).toMatchObject({ workspace_id: created.workspace_id, created: false });
    const customer = cb.forWorkspace({ external_id: externalId });
    expect(await customer.balance()).toMatchObject({ workspace_id: created.workspace_id });
  });

  it("retries a 429 rate_limited after Retry-After, and gives up when Retry-After is beyond the cap", async () => {
    const { workspaceId } = await workspaceWith(100, "client-429");
    const { key } = await keyFor(workspaceId, { hourlyCap: 1 });
    const patient = client(key, { maxRetries: 1, maxRetryDelayMs: 2 * 60 * 60 * 1000 });
    await patient.cb.track({ action: "aria.chat" });
    const error = await patient.cb.track({ action: "aria.chat" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    const retryAfter = (error as RateLimitedError).retryAfterSeconds!;
    expect(retryAfter).toBeGreaterThan(0);
    // It waited exactly Retry-After once, then asked again (the window had not reset: 429 again).
    expect(patient.sleeps).toHaveLength(1);
    expect(Math.abs(patient.sleeps[0]! - retryAfter * 1000)).toBeLessThanOrEqual(2000);
    expect(patient.seen.filter((s) => s.path === "/api/v1/track")).toHaveLength(3);
    // Both attempts of the second call sent the same idempotency key.
    const keys = patient.seen.slice(1).map((s) => JSON.parse(s.body!).idempotency_key);
    expect(keys[0]).toBe(keys[1]);

    // A Retry-After beyond the cap (default 30 s) is not waited for: the error is thrown at once.
    const hasty = client(key, { maxRetryDelayMs: retryAfter * 1000 - 2000 });
    await expect(hasty.cb.track({ action: "aria.chat" })).rejects.toBeInstanceOf(RateLimitedError);
    expect(hasty.sleeps).toEqual([]);
    expect(hasty.seen).toHaveLength(1);
  });

  it("never retries a 402: InsufficientCreditsError with remaining, reset date and refill links", async () => {
    const { workspaceId } = await workspaceWith(3, "client-402");
    const { key } = await keyFor(workspaceId);
    const { cb, seen, sleeps } = client(key);
    const error = await cb.track({ action: "video.generate" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientCreditsError);
    const e = error as InsufficientCreditsError;
    expect(e).toMatchObject({ status: 402, code: "insufficient_credits", retryable: false, required: 20, remaining: 3 });
    expect(e.resetAt).toBeInstanceOf(Date);
    expect(e.buyPackUrl).toMatch(/\/settings\/billing#packs$/);
    expect(e.upgradeUrl).toMatch(/\/settings\/billing#plans$/);
    expect(e.nextPlan).toMatchObject({ id: "starter" });
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("never retries a 403 or an error that is not retryable: PermissionError, ConflictError", async () => {
    const { workspaceId } = await workspaceWith(100, "client-403");
    const { key } = await keyFor(workspaceId, { allowedActions: ["aria.chat"] });
    const { cb, seen, sleeps } = client(key);
    const denied = await cb.track({ action: "image.generate" }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermissionError);
    expect(denied).toMatchObject({ status: 403, code: "policy_denied", retryable: false });
    await cb.track({ action: "aria.chat", idempotency_key: "once" });
    const conflict = await cb.track({ action: "aria.chat", quantity: 2, idempotency_key: "once" }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ status: 409, code: "idempotency_conflict" });
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([]);
  });

  it("a connection dropped after the server charged is retried with the same idempotency key and charged once", async () => {
    const { workspaceId } = await workspaceWith(100, "client-drop");
    const { key } = await keyFor(workspaceId);
    const app = appFetch();
    let drops = 1;
    // Performs the request against the app, then loses the answer: the client cannot know it was charged.
    const flaky = async (request: Request): Promise<Response> => {
      const res = await app.fetch(request);
      if (drops-- > 0) throw new TypeError("fetch failed: socket hang up");
      return res;
    };
    const sleeps: number[] = [];
    const cb = new Creditbook({ apiKey: key, fetch: flaky, sleep: async (ms) => void sleeps.push(ms) });
    const r = await cb.track({ action: "image.generate" });
    expect(r).toMatchObject({ status: "completed", replayed: true });
    expect(app.seen).toHaveLength(2);
    expect(JSON.parse(app.seen[0]!.body!).idempotency_key).toBe(JSON.parse(app.seen[1]!.body!).idempotency_key);
    expect(sleeps).toHaveLength(1);
    const events = await db.usageEvent.findMany({ where: { workspaceId } });
    expect(events).toHaveLength(1);
    expect(await charged(workspaceId)).toBe(events[0]!.credits);
    expect((await cb.balance()).remaining).toBe(100 - events[0]!.credits);
    await expectInvariants(workspaceId);
  });
});
