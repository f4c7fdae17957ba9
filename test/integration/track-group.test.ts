import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { db, getHotPool } from "@/lib/db";
import { now, testClock } from "@/lib/clock";
import { addCredits } from "@/lib/credits";
import { setBudget } from "@/lib/budgets/manage";
import { trackOne, trackParameters, TRACK_BATCH_SQL } from "@/lib/metering/hot-path";
import { keyFor } from "./api-support";
import { expectInvariants, newAccount, workspaceWith } from "./helpers";

// The group commit's set-based path (prisma/sql/credits_track_batch.sql): calls sent together in one
// credits_track_batch call — one workspace's or several's — must answer and write exactly what the same
// calls sent one by one do, whether a workspace's calls are charged set-based (all charged in full) or go
// through credits_track one at a time (anything else).

afterEach(() => testClock.reset());

type Call = { action: string; quantity: number; idempotencyKey: string | null; hold: boolean; member: boolean; otherKey?: boolean };
type Scenario = {
  base: number; // credits spendable before the grants below (the allowance and bonus adjusted to it)
  grants: { type: "BONUS" | "PURCHASED"; credits: number; expiresInDays: number | null }[];
  keyBudget: number | null;
  workspaceBudget: number | null;
  hourlyCap: number | null;
  earlier: string | null; // an idempotency key used by a call before the run
  calls: Call[];
};

const ACTIONS = ["aria.chat", "image.generate", "campaign.plan", "background.refresh", "sonic.analysis", "mcp.get_song_intelligence"];

/** credits_track's parameters for one call, built as the hot path builds them. */
function request(key: string, eventId: string, at: Date, call: Call, memberEmail: string) {
  return trackParameters(
    {
      key,
      action: call.action,
      idempotencyKey: call.idempotencyKey ?? undefined,
      subject: "subject-1",
      metadata: { n: call.quantity },
      hold: call.hold,
    },
    { at, quantity: call.quantity, member: call.member ? memberEmail : null, eventId },
  );
}

type Row = Record<string, unknown> & { idx: number; event_id: string | null };

/** Calls in one credits_track_batch call, as the hot path sends several; answers by index. */
async function batch(requests: unknown[][]): Promise<Row[]> {
  const result = await getHotPool().query<{ r: Row }>({ ...TRACK_BATCH_SQL, values: [JSON.stringify(requests)] });
  return result.rows.map((row) => row.r).sort((a, b) => a.idx - b.idx);
}

/** One call through credits_track, as the hot path sends a call alone. */
const alone = async (request: unknown[]): Promise<Row> => ({ idx: 0, ...(await trackOne(getHotPool(), request)) });

/** A workspace set up as the scenario says, with its key (and a second key, for calls marked otherKey). */
async function setUp(s: Scenario, tag: string) {
  const account = await workspaceWith(s.base, `group-${tag}`);
  const { workspaceId } = account;
  for (const [i, g] of s.grants.entries()) {
    const expiresAt = g.expiresInDays === null ? null : new Date(now().getTime() + g.expiresInDays * 86_400_000);
    await addCredits({ workspaceId, type: g.type, credits: g.credits, expiresAt, source: `test:${i}` });
  }
  const { key, client } = await keyFor(workspaceId, s.hourlyCap ? { hourlyCap: s.hourlyCap } : {});
  const other = await keyFor(workspaceId);
  if (s.keyBudget !== null) await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "day", limit: s.keyBudget });
  if (s.workspaceBudget !== null) await setBudget(workspaceId, { scope: "workspace", period: "month", limit: s.workspaceBudget });
  const at = now();
  if (s.earlier) {
    const earlier = { action: "aria.chat", quantity: 1, idempotencyKey: s.earlier, hold: false, member: false };
    await alone(request(key, `${tag}-earlier`, at, earlier, account.email));
  }
  const requests = s.calls.map((c, i) => request(c.otherKey ? other.key : key, `${tag}-${i}`, at, c, account.email));
  return { tag, workspaceId, clientIds: [client.id, other.client.id], requests };
}
type Played = Awaited<ReturnType<typeof setUp>> & { rows: Row[] };

/** Every workspace's calls in one credits_track_batch call, sorted by workspace id as the hot path sends them. */
async function together(workspaces: Awaited<ReturnType<typeof setUp>>[]): Promise<Played[]> {
  const sorted = [...workspaces].sort((a, b) => (a.workspaceId < b.workspaceId ? -1 : 1));
  const requests = sorted.flatMap((w) => w.requests);
  const rows = await batch(requests);
  expect(rows.map((r) => r.idx)).toEqual(requests.map((_, i) => i));
  let offset = 0;
  const played = new Map<string, Row[]>();
  for (const w of sorted) {
    played.set(
      w.tag,
      rows.slice(offset, offset + w.requests.length).map((r) => ({ ...r, idx: r.idx - offset })),
    );
    offset += w.requests.length;
  }
  return workspaces.map((w) => ({ ...w, rows: played.get(w.tag)! }));
}

/** Each workspace's calls one by one, in order (each its own transaction). */
async function oneByOne(workspaces: Awaited<ReturnType<typeof setUp>>[]): Promise<Played[]> {
  const played: Played[] = [];
  for (const w of workspaces) {
    const rows: Row[] = [];
    for (const [i, r] of w.requests.entries()) rows.push({ ...(await alone(r)), idx: i });
    played.push({ ...w, rows });
  }
  return played;
}

/** What a workspace's ledger holds after the run, with ids made comparable across the two workspaces. */
async function state({ workspaceId, clientIds, tag }: Played) {
  const strip = (id: string | null) => id?.replace(`${tag}-`, "") ?? null;
  const grants = await db.creditGrant.findMany({ where: { workspaceId }, orderBy: { source: "asc" } });
  const grantName = new Map(grants.map((g) => [g.id, g.source.startsWith("test:") ? g.source : g.type]));
  const entries = await db.ledgerEntry.findMany({ where: { workspaceId, kind: { in: ["DEBIT", "HOLD"] } }, orderBy: { id: "asc" } });
  const events = await db.usageEvent.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
  const spend = await db.budgetSpend.findMany({ where: { workspaceId }, orderBy: { subject: "asc" } });
  const rollups = await db.usageRollup.findMany({ where: { workspaceId }, orderBy: [{ day: "asc" }, { category: "asc" }] });
  const counters = await db.rateLimitCounter.findMany({ where: { key: { in: clientIds.map((id) => `api:action:${id}`) } } });
  return {
    grants: grants.map((g) => [grantName.get(g.id), g.remaining]),
    entries: entries.map((e) => [grantName.get(e.grantId ?? ""), e.amount, e.kind, strip(e.usageEventId)]),
    events: events.map((e) => [strip(e.id), e.status, e.credits, e.quantity, e.actionKey, e.idempotencyKey, e.userId !== null, e.metadata]),
    spend: spend.map((s) => [
      s.subject
        .replace(clientIds[0]!, "key")
        .replace(clientIds[1]!, "other key")
        .replace(/^member:.*/, "member"),
      s.credits,
    ]),
    rollups: rollups.map((r) => [r.category, r.credits, r.events]),
    counters: counters.map((c) => [clientIds.indexOf(c.key.slice("api:action:".length)), c.count]).sort(),
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
  base: fc.integer({ min: 0, max: 80 }),
  grants: fc.array(
    fc.record({
      type: fc.constantFrom("BONUS" as const, "PURCHASED" as const),
      credits: fc.integer({ min: 1, max: 30 }),
      expiresInDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
    }),
    { maxLength: 3 },
  ),
  keyBudget: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null, freq: 2 }),
  workspaceBudget: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null, freq: 2 }),
  hourlyCap: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null, freq: 2 }),
  earlier: fc.option(fc.constant("k1"), { nil: null }),
  calls: fc.array(
    fc.record({
      action: fc.constantFrom(...ACTIONS),
      quantity: fc.integer({ min: 1, max: 8 }),
      idempotencyKey: fc.option(fc.constantFrom("k1", "k2", "k3", "k4"), { nil: null, freq: 3 }),
      hold: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      member: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      otherKey: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    }),
    { minLength: 1, maxLength: 10 },
  ),
});

describe("credits_track_batch: calls sent together answer and write what the same calls one by one do", () => {
  it("1–3 workspaces with random grant mixes, budgets, caps, idempotency keys, holds, members and keys: same answers, ledger, budgets, rollups, counters", async () => {
    testClock.set(new Date("2027-03-10T12:00:00.000Z"));
    let charged = 0;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(scenario, { minLength: 1, maxLength: 3 }), async (scenarios) => {
        run++;
        const a = await together(await Promise.all(scenarios.map((s, i) => setUp(s, `ga${run}w${i}`))));
        const b = await oneByOne(await Promise.all(scenarios.map((s, i) => setUp(s, `gb${run}w${i}`))));
        for (const [i, played] of a.entries()) {
          expect(played.rows.map((r) => answer(r, played.tag))).toEqual(b[i]!.rows.map((r) => answer(r, b[i]!.tag)));
          expect(await state(played)).toEqual(await state(b[i]!));
          if (played.rows.every((r) => r.outcome === "charged")) charged++;
        }
        await expectInvariants(...a.map((w) => w.workspaceId), ...b.map((w) => w.workspaceId));
      }),
      { numRuns: 30, seed: 20261208 },
    );
    // Both branches were exercised: workspaces whose calls were all charged (the set-based case) and others.
    expect(charged).toBeGreaterThan(5);
    expect(charged).toBeLessThan(run);
  }, 120_000); // 30 runs of up to 6 workspaces each, on a slow shared host

  it("the common case is all set-based: a hot workspace's 12 calls and 3 other workspaces' one each, no credits_track, all charged", async () => {
    const hot = await newAccount("group-hot");
    const { key } = await keyFor(hot.workspaceId);
    const others = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const account = await newAccount(`group-one-${i}`);
        return { ...account, key: (await keyFor(account.workspaceId)).key };
      }),
    );
    const at = now();
    const call = (i: number) => ({
      action: i % 2 ? "image.generate" : "aria.chat",
      quantity: 1,
      idempotencyKey: `g-${i}`,
      hold: false,
      member: false,
    });
    const byWorkspace = [
      {
        workspaceId: hot.workspaceId,
        requests: Array.from({ length: 12 }, (_, i) => request(key, `hot-${i}-${hot.workspaceId}`, at, call(i), hot.email)),
      },
      ...others.map((o) => ({ workspaceId: o.workspaceId, requests: [request(o.key, `one-${o.workspaceId}`, at, call(1), o.email)] })),
    ].sort((x, y) => (x.workspaceId < y.workspaceId ? -1 : 1));
    const requests = byWorkspace.flatMap((w) => w.requests);
    const client = await getHotPool().connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL track_functions = 'all'");
      const { rows } = await client.query<{ r: Row }>({ ...TRACK_BATCH_SQL, values: [JSON.stringify(requests)] });
      const counts = await client.query<{ single: string | null; charge: string | null }>(
        `SELECT pg_stat_get_xact_function_calls('credits_track'::regproc) AS single,
                pg_stat_get_xact_function_calls('credits_charge'::regproc) AS charge`,
      );
      await client.query("COMMIT");
      expect(counts.rows[0]).toEqual({ single: null, charge: null });
      const answers = rows.map((r) => r.r).sort((x, y) => x.idx - y.idx);
      expect(answers.map((r) => r.outcome)).toEqual(requests.map(() => "charged"));
      // 400 credits to start (100 allowance + 300 bonus): the hot workspace's 6 × 1 + 6 × 5, in order.
      const hotAnswers = answers.filter((r) => r.workspace_id === hot.workspaceId);
      expect(hotAnswers.map((r) => r.remaining)).toEqual([399, 394, 393, 388, 387, 382, 381, 376, 375, 370, 369, 364]);
      expect(hotAnswers.map((r) => r.calls)).toEqual(hotAnswers.map((_, i) => i + 1));
      expect(answers.filter((r) => r.workspace_id !== hot.workspaceId).map((r) => [r.remaining, r.calls])).toEqual(
        others.map(() => [395, 1]),
      );
    } finally {
      client.release();
    }
    await expectInvariants(hot.workspaceId, ...others.map((o) => o.workspaceId));
  });
});
