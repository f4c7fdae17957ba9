import { afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import { createHotPool, db, getHotPool } from "@/lib/db";
import { env } from "@/lib/env";
import { now, testClock } from "@/lib/clock";
import { setSubscriptionState } from "@/lib/credits";
import { revokeApiKey, updateKeyLimits } from "@/lib/metering/keys";
import { chargeByKey, CountedError } from "@/lib/metering/hot-path";
import { AppError } from "@/lib/errors";
import { withRequestId } from "@/lib/log";
import { POST as track } from "@/app/api/v1/track/route";
import { POST as reserveRoute } from "@/app/api/v1/reservations/route";
import { call, keyFor } from "./api-support";
import { expectInvariants, newAccount } from "./helpers";

// The metering hot path (lib/metering/hot-path.ts, credits_track): one database call per action in the
// common case, nothing cached across instances, bounded waits, and the two correctness edges of issue 20.

afterEach(() => {
  testClock.reset();
});

/** Waits for a condition (polling), failing after `ms`. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Counts every statement any `pg` client of this process sends (the hot path's pool, the Prisma pool and
 * any other): the query hook sits on pg.Client itself, so nothing can go around it.
 */
function countQueries(): { texts: string[]; stop: () => void } {
  const texts: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    texts.push(typeof first === "string" ? first : (first?.text ?? "?"));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return { texts, stop: () => void (pg.Client.prototype.query = original) };
}

/** The most connections of `pool` in use at once while watched. */
function watchConnections(pool: pg.Pool): { most: () => number; stop: () => void } {
  let inUse = 0;
  let most = 0;
  const acquired = () => void (most = Math.max(most, ++inUse));
  const released = () => void inUse--;
  pool.on("acquire", acquired);
  pool.on("release", released);
  return {
    most: () => most,
    stop: () => {
      pool.off("acquire", acquired);
      pool.off("release", released);
    },
  };
}

const DAY = 86_400_000;

describe("one database call per action", () => {
  it("a debit, a repeat, a reservation and a platform key's debit each make exactly one database call", async () => {
    const { workspaceId } = await newAccount("one-call");
    await db.workspace.update({ where: { id: workspaceId }, data: { externalId: `ext-${workspaceId}` } });
    const { key } = await keyFor(workspaceId);
    const { key: platformKey } = await keyFor(null, { kind: "PLATFORM" });
    // The first call of each key refreshes its lastUsedAt (one write every few minutes, off the request's path).
    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201);
    expect((await call(track, { key: platformKey, body: { action: "aria.chat", external_id: `ext-${workspaceId}` } })).status).toBe(201);
    await until(
      "lastUsedAt written",
      async () =>
        (await db.apiClient.count({
          where: { lastUsedAt: { not: null }, OR: [{ workspaceId }, { kind: "PLATFORM", prefix: platformKey.slice(0, 20) }] },
        })) === 2,
    );

    const cases: [string, () => Promise<{ status: number }>, number][] = [
      ["track", () => call(track, { key, body: { action: "aria.chat" } }), 201],
      ["track with an idempotency key", () => call(track, { key, body: { action: "aria.chat", idempotency_key: "once" } }), 201],
      ["its repeat", () => call(track, { key, body: { action: "aria.chat", idempotency_key: "once" } }), 200],
      ["a reservation", () => call(reserveRoute, { key, body: { action: "sonic.analysis" } }), 201],
      [
        "a platform key by external_id",
        () => call(track, { key: platformKey, body: { action: "aria.chat", external_id: `ext-${workspaceId}` } }),
        201,
      ],
    ];
    for (const [label, run, status] of cases) {
      const counter = countQueries();
      try {
        expect((await run()).status, label).toBe(status);
      } finally {
        counter.stop();
      }
      expect(counter.texts, label).toHaveLength(1);
      expect(counter.texts[0], label).toContain("credits_track");
    }
    await expectInvariants(workspaceId);
  });
});

describe("group commit: a hot workspace holds at most one connection per instance", () => {
  it("60 concurrent debits of one workspace: one connection at a time, coalesced into fewer calls, every one charged exactly once", async () => {
    const { workspaceId } = await newAccount("hot");
    const { key } = await keyFor(workspaceId, { hourlyCap: 1_000 });
    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201); // this instance learns the key's workspace
    await until("lastUsedAt written", async () => (await db.apiClient.count({ where: { workspaceId, lastUsedAt: { not: null } } })) === 1);
    const pool = getHotPool();
    const connections = watchConnections(pool);
    const counter = countQueries();
    let answers: Awaited<ReturnType<typeof call>>[];
    try {
      answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          call(track, { key, body: { action: "aria.chat", idempotency_key: `burst-${i % 50}`, ...(i % 2 ? { metadata: { n: i } } : {}) } }),
        ),
      );
    } finally {
      counter.stop();
      connections.stop();
    }
    expect(connections.most()).toBe(1);
    expect(counter.texts.length).toBeLessThan(60);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(50);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10); // the repeated idempotency keys
    const ids = new Set(answers.map((a) => a.json.event_id));
    expect(ids.size).toBe(50);
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(51);
    // Batched calls keep their own fields: metadata as sent (an object), absent as SQL NULL.
    const [odd, even] = await Promise.all(
      ["burst-1", "burst-2"].map((k) => db.usageEvent.findFirstOrThrow({ where: { workspaceId, idempotencyKey: k } })),
    );
    expect(odd!.metadata).toEqual({ n: 1 });
    expect(even!.metadata).toBeNull();
    expect((await call(track, { key, body: { action: "aria.chat" } })).json.remaining).toBe(400 - 52);
    await expectInvariants(workspaceId);
  });
});

describe("admission: a call waiting for its workspace's round trip gives its turn back", () => {
  it("the calls queued behind a trip yield once each; the one that left at once does not", async () => {
    const { workspaceId } = await newAccount("yield");
    const { key } = await keyFor(workspaceId, { hourlyCap: 1_000 });
    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201); // the workspace is learnt
    const yielded = new Set<number>();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        withRequestId(`yield-${i}`, () => call(track, { key, body: { action: "aria.chat" } }), {
          yieldTurn: () => {
            expect(yielded.has(i)).toBe(false);
            yielded.add(i);
          },
        }),
      ),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(yielded.size).toBeGreaterThan(0);
    expect(yielded.size).toBeLessThan(12);
    await expectInvariants(workspaceId);
  });
});

describe("group commit across workspaces: round trips are bounded, workspaces that wait go together", () => {
  /** A pool of 4 (one round trip at a time, a quarter of it) whose calls and connections are counted. */
  async function instance(workspaces: number, label: string) {
    const accounts = await Promise.all(Array.from({ length: workspaces }, (_, i) => newAccount(`${label}-${i}`)));
    const keys = await Promise.all(accounts.map(({ workspaceId }) => keyFor(workspaceId, { hourlyCap: 1_000 }).then((k) => k.key)));
    const pool = createHotPool(env.DATABASE_URL!, { size: 4, waitMs: 5_000 });
    // Each key's first call teaches this instance its workspace (a call without that goes out alone).
    for (const key of keys) expect((await chargeByKey({ key, action: "aria.chat", hold: false }, pool)).result.outcome).toBe("charged");
    await until(
      "lastUsedAt written",
      async () =>
        (await db.apiClient.count({ where: { workspaceId: { in: accounts.map((a) => a.workspaceId) }, lastUsedAt: { not: null } } })) ===
        workspaces,
    );
    return { accounts, keys, pool };
  }

  it("30 workspaces debited at once: fewer calls than debits, one connection at a time, every debit charged exactly once", async () => {
    const { accounts, keys, pool } = await instance(30, "spread");
    const connections = watchConnections(pool);
    const counter = countQueries();
    let outcomes: Awaited<ReturnType<typeof chargeByKey>>[];
    try {
      outcomes = await Promise.all(
        keys.flatMap((key, i) =>
          [0, 1].map((n) =>
            chargeByKey({ key, action: "aria.chat", hold: false, idempotencyKey: `spread-${i}-${n}`, metadata: { n } }, pool),
          ),
        ),
      );
    } finally {
      counter.stop();
      connections.stop();
      await pool.end();
    }
    expect(outcomes.every((o) => o.result.outcome === "charged" && !o.result.replayed)).toBe(true);
    expect(new Set(outcomes.map((o) => (o.result.outcome === "charged" ? o.result.eventId : ""))).size).toBe(60);
    // Each call went to its own workspace, and each workspace got its own two debits.
    for (const [i, { workspaceId }] of accounts.entries()) {
      expect(outcomes[2 * i]!.workspaceId).toBe(workspaceId);
      const events = await db.usageEvent.findMany({ where: { workspaceId, idempotencyKey: { startsWith: "spread-" } } });
      expect(events.map((e) => e.idempotencyKey).sort()).toEqual([`spread-${i}-0`, `spread-${i}-1`]);
      expect(events.find((e) => e.idempotencyKey === `spread-${i}-1`)!.metadata).toEqual({ n: 1 });
    }
    expect(connections.most()).toBe(1);
    expect(counter.texts.length).toBeLessThan(30);
    for (const { workspaceId } of accounts) await expectInvariants(workspaceId);
  });

  it("a workspace whose lock is held elsewhere answers 503 alone: the workspaces that went with it are charged", async () => {
    const { accounts, keys, pool } = await instance(3, "held");
    const holder = new pg.Client({ connectionString: env.DATABASE_URL });
    await holder.connect();
    let settled: PromiseSettledResult<Awaited<ReturnType<typeof chargeByKey>>>[];
    const counter = countQueries();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [accounts[0]!.workspaceId]);
      // The first call takes the one round trip; the two after it wait for it and then leave together.
      const order = [keys[1]!, keys[0]!, keys[2]!];
      const [first, held, last] = await Promise.allSettled(
        order.map((key) => chargeByKey({ key, action: "aria.chat", hold: false }, pool)),
      );
      settled = [held!, first!, last!];
      await holder.query("ROLLBACK");
    } finally {
      counter.stop();
      await holder.end();
      await pool.end();
    }
    expect(counter.texts.some((t) => t.includes("credits_track_batch"))).toBe(true);
    const [held, ...others] = settled;
    expect(held!.status).toBe("rejected");
    expect(((held as PromiseRejectedResult).reason as AppError).code).toBe("overloaded");
    for (const other of others) expect(other.status === "fulfilled" && other.value.result.outcome).toBe("charged");
    // The held workspace: only its first debit (the call that was cut rolled back with its count).
    expect(await db.usageEvent.count({ where: { workspaceId: accounts[0]!.workspaceId } })).toBe(1);
    for (const { workspaceId } of accounts.slice(1)) expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(2);
  });
});

describe("nothing about keys is cached: every instance honours a revocation or a cap change at once", () => {
  it("a key revoked through one instance is refused by a second instance (its own pool) within 1 s", async () => {
    const { workspaceId } = await newAccount("revoke");
    const { key, client } = await keyFor(workspaceId, { hourlyCap: 100 });
    const second = createHotPool(env.DATABASE_URL!, { size: 2, waitMs: 2_000 });
    try {
      const action = { key, action: "aria.chat", hold: false };
      expect((await chargeByKey(action, second)).result.outcome).toBe("charged");
      expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201);

      // A cap lowered on this instance binds the second at its next call: 3 calls made, cap 3.
      await updateKeyLimits({ id: client.id, workspaceId, hourlyCap: 3 });
      expect((await chargeByKey(action, second)).result.outcome).toBe("charged");
      const over = await chargeByKey(action, second).catch((e: unknown) => e);
      expect(over).toBeInstanceOf(CountedError);
      expect(((over as CountedError).error as AppError).code).toBe("rate_limited");
      await updateKeyLimits({ id: client.id, workspaceId, hourlyCap: 100 });

      await revokeApiKey({ id: client.id, workspaceId });
      const revokedAt = Date.now();
      let refusedAfterMs = Number.POSITIVE_INFINITY;
      while (Date.now() - revokedAt < 1_000) {
        const outcome = await chargeByKey(action, second).catch((e: unknown) => e);
        if (outcome instanceof AppError && outcome.code === "unauthenticated") {
          refusedAfterMs = Date.now() - revokedAt;
          break;
        }
      }
      expect(refusedAfterMs).toBeLessThan(1_000);
      expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(401);
      expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(3);
    } finally {
      await second.end();
    }
  });
});

describe("bounded waits: 503 overloaded, never a hang", () => {
  it("answers 503 overloaded with Retry-After when no hot-path connection frees in time, and charges nothing", async () => {
    const { workspaceId } = await newAccount("overload");
    const { key } = await keyFor(workspaceId);
    const pool = getHotPool();
    const held = await Promise.all(Array.from({ length: env.DATABASE_HOT_POOL_SIZE }, () => pool.connect()));
    let res: Awaited<ReturnType<typeof call>>;
    const started = Date.now();
    try {
      res = await call(track, { key, body: { action: "aria.chat" } });
    } finally {
      for (const c of held) c.release();
    }
    expect(Date.now() - started).toBeLessThan(env.DATABASE_HOT_WAIT_MS + 2_000);
    expect(res.status).toBe(503);
    expect(res.json.error).toMatchObject({ code: "overloaded", retryable: true });
    expect(res.json.error?.actionable_next_step).toBeTruthy();
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(0);
    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201);
  });

  it("cuts a wait for a held workspace lock at lock_timeout: 503 overloaded, and the call is not counted", async () => {
    const { workspaceId } = await newAccount("lock-timeout");
    const { key } = await keyFor(workspaceId);
    const holder = new pg.Client({ connectionString: env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [workspaceId]);
      const res = await call(track, { key, body: { action: "aria.chat" } });
      expect(res.status).toBe(503);
      expect(res.json.error).toMatchObject({ code: "overloaded", retryable: true });
      await holder.query("ROLLBACK");
    } finally {
      await holder.end();
    }
    const ok = await call(track, { key, body: { action: "aria.chat" } });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("ratelimit-remaining")).toBe("59"); // the cut call rolled back with its count
  });
});

describe("the two correctness edges", () => {
  it("dates an event when its workspace lock is held: a debit that waited across the month's end is June's, charged to June's allowance", async () => {
    const JUNE_1 = new Date("2031-06-01T00:00:00Z");
    testClock.set(new Date("2031-05-20T12:00:00Z"));
    const { workspaceId } = await newAccount("edge-time");
    const { key } = await keyFor(workspaceId);
    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201); // May's allowance granted
    testClock.set(new Date(JUNE_1.getTime() - 1_000));

    const holder = new pg.Client({ connectionString: env.DATABASE_URL });
    await holder.connect();
    let pending: Promise<Awaited<ReturnType<typeof call>>>;
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [workspaceId]);
      pending = call(track, { key, body: { action: "aria.chat", idempotency_key: "across-midnight" } });
      await until("the debit to wait for the workspace lock", async () => {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        );
        return rows[0]!.n > 0;
      });
      // The debit read the clock before midnight (it reads it before its one database call) …
      expect(now().getTime()).toBeLessThan(JUNE_1.getTime());
      // … and the clock passes midnight while it waits (less than lock_timeout).
      await until("the clock to pass June 1", () => now().getTime() >= JUNE_1.getTime() + 20);
      await holder.query("COMMIT");
    } finally {
      await holder.end();
    }
    const res = await pending!;
    expect(res.status).toBe(201);
    const event = await db.usageEvent.findFirstOrThrow({ where: { workspaceId, idempotencyKey: "across-midnight" } });
    expect(event.createdAt.getTime()).toBeGreaterThanOrEqual(JUNE_1.getTime());
    const entry = await db.ledgerEntry.findFirstOrThrow({ where: { usageEventId: event.id, kind: "DEBIT" }, include: { grant: true } });
    expect(entry.grant?.source).toBe(`period:${JUNE_1.toISOString()}`);
    await expectInvariants(workspaceId);
  });

  it("a past-due workspace past its 7 days is paused by the debit itself: its allowance is refused before any sweep runs", async () => {
    const MID_MAY = new Date("2031-05-10T12:00:00Z");
    testClock.set(MID_MAY);
    const { workspaceId } = await newAccount("edge-past-due");
    const pro = {
      workspaceId,
      subscriptionId: `sub_${workspaceId}`,
      planId: "pro",
      interval: "MONTH",
      startedAt: MID_MAY,
      periodEnd: new Date("2031-06-01T00:00:00Z"),
      cancelAtPeriodEnd: false,
      trialStartedAt: null,
      trialEndsAt: null,
    } as const;
    await setSubscriptionState({ ...pro, status: "ACTIVE", pastDueSince: null });
    await setSubscriptionState({ ...pro, status: "PAST_DUE", pastDueSince: MID_MAY });
    const { key } = await keyFor(workspaceId);
    // Day 6: still past due, everything spendable (5,000 allowance + 300 bonus).
    testClock.set(new Date(MID_MAY.getTime() + 6 * DAY));
    expect((await call(track, { key, body: { action: "aria.chat", quantity: 400 } })).status).toBe(201);
    // Day 8, no sweep since: 400 credits are more than the bonus, and the allowance must not pay for them.
    testClock.set(new Date(MID_MAY.getTime() + 8 * DAY));
    const refused = await call(track, { key, body: { action: "aria.chat", quantity: 400 } });
    expect(refused.status).toBe(402);
    expect(refused.json.error).toMatchObject({ code: "insufficient_credits" });
    const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    expect(workspace.subscriptionStatus).toBe("PAUSED");
    // The bonus still pays for small actions, as the timeline says.
    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201);
    await expectInvariants(workspaceId);
  });
});
