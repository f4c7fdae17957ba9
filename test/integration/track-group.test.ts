import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { db, getHotPool, utcTimestamp } from "@/lib/db";
import { now, testClock } from "@/lib/clock";
import { addCredits } from "@/lib/credits";
import { setBudget } from "@/lib/budgets/manage";
import { hashKey, KEY_PREFIX_LENGTH } from "@/lib/metering/keys";
import { WINDOW_MS } from "@/lib/metering/limits";
import { keyFor } from "./api-support";
import { expectInvariants, newAccount } from "./helpers";

// The group commit's set-based fast path (prisma/sql/credits_track_group.sql): a run of calls of one key
// sent in one credits_track_batch call must answer and write exactly what the same calls sent one by one
// do — whether the run qualifies (charged together) or not (it falls back to one call at a time).

afterEach(() => testClock.reset());

type Call = { action: string; quantity: number; idempotencyKey: string | null; hold: boolean; member: boolean };
type Scenario = {
  grants: { type: "BONUS" | "PURCHASED"; credits: number; expiresInDays: number | null }[];
  keyBudget: number | null;
  workspaceBudget: number | null;
  hourlyCap: number | null;
  earlier: string | null; // an idempotency key used by a call before the run
  calls: Call[];
};

const ACTIONS = ["aria.chat", "image.generate", "campaign.plan", "background.refresh", "sonic.analysis", "mcp.get_song_intelligence"];

/** credits_track's parameters for one call, as lib/metering/hot-path.ts builds them. */
function request(key: string, eventId: string, at: Date, call: Call, memberEmail: string) {
  const windowStart = Math.floor(at.getTime() / WINDOW_MS) * WINDOW_MS;
  return [
    key.slice(0, KEY_PREFIX_LENGTH),
    hashKey(key),
    null,
    null,
    utcTimestamp(new Date(windowStart)),
    utcTimestamp(new Date(at.getTime() - 5 * 60_000)),
    eventId,
    call.action,
    call.quantity,
    call.idempotencyKey,
    "subject-1",
    { n: call.quantity },
    call.member ? memberEmail : null,
    utcTimestamp(at),
    call.hold,
    null,
    call.hold ? utcTimestamp(new Date(at.getTime() + 3_600_000)) : null,
  ];
}

type Row = Record<string, unknown> & { idx: number; event_id: string | null };

async function batch(requests: unknown[][]): Promise<Row[]> {
  const result = await getHotPool().query<{ r: Row }>(`SELECT to_json(t) AS r FROM "credits_track_batch"($1::jsonb) t`, [
    JSON.stringify(requests),
  ]);
  return result.rows.map((row) => row.r).sort((a, b) => a.idx - b.idx);
}

/** One workspace set up as the scenario says; `send` runs the scenario's calls (all at once or one by one). */
async function play(s: Scenario, tag: string, together: boolean) {
  const account = await newAccount(`group-${tag}`);
  const { workspaceId } = account;
  for (const [i, g] of s.grants.entries()) {
    const expiresAt = g.expiresInDays === null ? null : new Date(now().getTime() + g.expiresInDays * 86_400_000);
    await addCredits({ workspaceId, type: g.type, credits: g.credits, expiresAt, source: `test:${i}` });
  }
  const { key, client } = await keyFor(workspaceId, s.hourlyCap ? { hourlyCap: s.hourlyCap } : {});
  if (s.keyBudget !== null) await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "day", limit: s.keyBudget });
  if (s.workspaceBudget !== null) await setBudget(workspaceId, { scope: "workspace", period: "month", limit: s.workspaceBudget });
  const at = now();
  if (s.earlier) {
    const earlier = { action: "aria.chat", quantity: 1, idempotencyKey: s.earlier, hold: false, member: false };
    await batch([request(key, `${tag}-earlier`, at, earlier, account.email)]);
  }
  const requests = s.calls.map((c, i) => request(key, `${tag}-${i}`, at, c, account.email));
  const rows = together ? await batch(requests) : await sequential(requests);
  return { workspaceId, clientId: client.id, rows };
}

/** The calls one by one, in order (each its own transaction). */
async function sequential(requests: unknown[][]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [i, r] of requests.entries()) rows.push(...(await batch([r])).map((row) => ({ ...row, idx: i })));
  return rows;
}

/** What a workspace's ledger holds after the run, with ids made comparable across the two workspaces. */
async function state(workspaceId: string, clientId: string, tag: string) {
  const strip = (id: string | null) => id?.replace(`${tag}-`, "") ?? null;
  const grants = await db.creditGrant.findMany({ where: { workspaceId }, orderBy: { source: "asc" } });
  const grantName = new Map(grants.map((g) => [g.id, g.source.startsWith("test:") ? g.source : g.type]));
  const entries = await db.ledgerEntry.findMany({ where: { workspaceId, kind: { in: ["DEBIT", "HOLD"] } }, orderBy: { id: "asc" } });
  const events = await db.usageEvent.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
  const spend = await db.budgetSpend.findMany({ where: { workspaceId }, orderBy: { subject: "asc" } });
  const rollups = await db.usageRollup.findMany({ where: { workspaceId }, orderBy: [{ day: "asc" }, { category: "asc" }] });
  const counters = await db.rateLimitCounter.findMany({ where: { key: `api:action:${clientId}` } });
  return {
    grants: grants.map((g) => [grantName.get(g.id), g.remaining]),
    entries: entries.map((e) => [grantName.get(e.grantId ?? ""), e.amount, e.kind, strip(e.usageEventId)]),
    events: events.map((e) => [strip(e.id), e.status, e.credits, e.quantity, e.actionKey, e.idempotencyKey, e.userId !== null, e.metadata]),
    spend: spend.map((s) => [s.subject.replace(clientId, "key").replace(/^member:.*/, "member"), s.credits]),
    rollups: rollups.map((r) => [r.category, r.credits, r.events]),
    counters: counters.map((c) => c.count),
  };
}

/** A row's answer without what differs between two workspaces (ids, times). */
const answer = (row: Row, tag: string) => ({
  idx: row.idx,
  outcome: row.outcome,
  calls: row.calls,
  stale: row.stale,
  // budget_exceeded names the budget (an id of its own workspace) where others name the event.
  event:
    row.outcome === "budget_exceeded" ? "a budget" : typeof row.event_id === "string" ? row.event_id.replace(`${tag}-`, "") : row.event_id,
  status: row.event_status,
  credits: row.credits,
  remaining: row.remaining,
  policy: row.policy,
});

const scenario: fc.Arbitrary<Scenario> = fc.record({
  grants: fc.array(
    fc.record({
      type: fc.constantFrom("BONUS" as const, "PURCHASED" as const),
      credits: fc.integer({ min: 1, max: 60 }),
      expiresInDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
    }),
    { maxLength: 3 },
  ),
  keyBudget: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null, freq: 2 }),
  workspaceBudget: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null, freq: 2 }),
  hourlyCap: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null, freq: 2 }),
  earlier: fc.option(fc.constant("k1"), { nil: null }),
  calls: fc.array(
    fc.record({
      action: fc.constantFrom(...ACTIONS),
      quantity: fc.integer({ min: 1, max: 30 }),
      idempotencyKey: fc.option(fc.constantFrom("k1", "k2", "k3", "k4"), { nil: null, freq: 3 }),
      hold: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      member: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
    { minLength: 2, maxLength: 10 },
  ),
});

describe("credits_track_group: a run of calls charged together answers and writes what the calls one by one do", () => {
  it("random grant mixes, budgets, caps, idempotency keys, holds and members: same answers, ledger, budgets, rollups and counter", async () => {
    testClock.set(new Date("2027-03-10T12:00:00.000Z"));
    let grouped = 0;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run++;
        const a = await play(s, `ga${run}`, true);
        const b = await play(s, `gb${run}`, false);
        expect(a.rows.map((r) => answer(r, `ga${run}`))).toEqual(b.rows.map((r) => answer(r, `gb${run}`)));
        expect(await state(a.workspaceId, a.clientId, `ga${run}`)).toEqual(await state(b.workspaceId, b.clientId, `gb${run}`));
        if (a.rows.every((r) => r.outcome === "charged")) grouped++;
        await expectInvariants(a.workspaceId, b.workspaceId);
      }),
      { numRuns: 40, seed: 20261208 },
    );
    // Both branches were exercised: runs charged in full (the fast path's case) and runs that were not.
    expect(grouped).toBeGreaterThan(3);
    expect(grouped).toBeLessThan(run);
  });

  it("takes the set-based path in the common case: one credits_track_group call, no credits_track, every call charged", async () => {
    const { workspaceId, email } = await newAccount("group-fast");
    const { key } = await keyFor(workspaceId);
    const at = now();
    const calls = Array.from({ length: 12 }, (_, i) => ({
      action: i % 2 ? "image.generate" : "aria.chat",
      quantity: 1,
      idempotencyKey: `g-${i}`,
      hold: false,
      member: false,
    }));
    const client = await getHotPool().connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL track_functions = 'all'");
      const { rows } = await client.query<{ r: Row }>(`SELECT to_json(t) AS r FROM "credits_track_batch"($1::jsonb) t`, [
        JSON.stringify(calls.map((c, i) => request(key, `fast-${i}-${workspaceId}`, at, c, email))),
      ]);
      const counts = await client.query<{ group: string; single: string }>(
        `SELECT pg_stat_get_xact_function_calls('credits_track_group'::regproc) AS group,
                pg_stat_get_xact_function_calls('credits_track'::regproc) AS single`,
      );
      await client.query("COMMIT");
      expect(counts.rows[0]).toEqual({ group: "1", single: null });
      const answers = rows.map((r) => r.r).sort((x, y) => x.idx - y.idx);
      expect(answers.map((r) => r.outcome)).toEqual(calls.map(() => "charged"));
      // 400 credits to start (100 allowance + 300 bonus): 6 × 1 + 6 × 5 spent, in order.
      expect(answers.map((r) => r.remaining)).toEqual([399, 394, 393, 388, 387, 382, 381, 376, 375, 370, 369, 364]);
      expect(answers.map((r) => r.calls)).toEqual(calls.map((_, i) => i + 1));
    } finally {
      client.release();
    }
    await expectInvariants(workspaceId);
  });
});
