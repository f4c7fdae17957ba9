// Scenario 2 — crash: debits with idempotency keys from concurrent clients; mid-load `kill -9` of the
// app's whole process group (serve.mjs and next-server), start it again and retry every request whose
// response was lost; then the same with the PostgreSQL postmaster killed and restarted on its data
// folder. Every acknowledged debit must be in the ledger exactly once, every retried one too, with its
// debit entries complete (checkInvariants), and each workspace's balance = what it had − what was charged.
import type { Db } from "../../lib/db.ts";
import { startJobSender, type AppProcess, type JobsProcess, type PgProcess } from "./stack.ts";
import { bearer, fmt, jsonRequest, makeWorkspaces, mapLimit, Problems, readBody, type Outcome } from "./support.ts";

export type CrashOptions = { app: AppProcess; pg: PgProcess; db: Db; debits: number; clients: number; seed: number };

type Debit = { ws: number; key: string; acked: boolean; eventId?: string; lost: number };

const ACTION = "aria.chat";
const START_CREDITS = 100_000;

export async function runCrash(o: CrashOptions): Promise<Outcome> {
  const { addCredits, checkInvariants } = await import("../../lib/credits/index.ts");
  const { testClock } = await import("../../lib/clock.ts");
  const problems = new Problems();
  // A restarted app starts at real time: so does this scenario, in the app and here.
  testClock.reset();
  await fetch(`${o.app.url}/api/test/clock`, jsonRequest("POST", { reset: true }));
  const made = await makeWorkspaces(o.db, 10, { prefix: `verify-crash-${o.seed}`, hourlyCap: 1_000_000, planId: () => "free" });
  const ids = made.map((w) => w.id);
  for (const w of made)
    await addCredits({
      workspaceId: w.id,
      type: "PURCHASED",
      credits: START_CREDITS,
      expiresAt: null,
      source: `verify-crash:${w.id}`,
      reason: "verify",
    });
  const before = await remainingOf(o.db, ids);
  const price = await o.db.actionPrice.findFirstOrThrow({
    where: { actionKey: ACTION, active: true },
    orderBy: { effectiveFrom: "desc" },
    select: { credits: true },
  });

  const debits: Debit[] = Array.from({ length: o.debits }, (_, i) => ({
    ws: i % made.length,
    key: `crash-${o.seed}-${i}`,
    acked: false,
    lost: 0,
  }));
  const send = async (d: Debit): Promise<boolean> => {
    try {
      const res = await fetch(
        `${o.app.url}/api/v1/track`,
        jsonRequest("POST", { action: ACTION, idempotency_key: d.key }, bearer(made[d.ws]!.key)),
      );
      const body = (await readBody(res)) as { event_id?: string } | null;
      if ((res.status === 201 || res.status === 200) && body?.event_id) {
        if (d.eventId && d.eventId !== body.event_id) problems.add(`key ${d.key} acknowledged as ${d.eventId}, then as ${body.event_id}`);
        d.acked = true;
        d.eventId = body.event_id;
        return true;
      }
      if (res.status < 500) problems.add(`debit ${d.key} → ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    } catch {
      // connection refused or reset: the response is lost
    }
    d.lost++;
    return false;
  };

  // Faults at a third and two thirds of the load; the clients keep sending (into the failure) meanwhile.
  let sent = 0;
  let appKilledAt = 0;
  let pgKilledAt = 0;
  let faults: Promise<void> = Promise.resolve();
  const fault = (at: number, what: () => Promise<void>) => {
    if (sent === at) faults = faults.then(what);
  };
  const third = Math.floor(o.debits / 3);
  await mapLimit(debits, o.clients, async (d) => {
    sent++;
    fault(third, async () => {
      appKilledAt = debits.filter((x) => x.acked).length;
      await o.app.kill9();
      await o.app.start();
    });
    fault(2 * third, async () => {
      pgKilledAt = debits.filter((x) => x.acked).length;
      await o.pg.kill9();
      await o.pg.start(false);
    });
    // A client whose response was lost waits for the recovery in progress before its next request.
    if (!(await send(d))) await faults;
  });
  await faults;

  // Retry every request whose response was lost, with the same idempotency key, until acknowledged.
  const lost = debits.filter((d) => !d.acked);
  for (let round = 0; round < 5 && debits.some((d) => !d.acked); round++) {
    await mapLimit(
      debits.filter((d) => !d.acked),
      8,
      send,
    );
  }
  const unacked = debits.filter((d) => !d.acked);
  for (const d of unacked.slice(0, 5)) problems.add(`debit ${d.key} never acknowledged after retries`);

  // Exactly once: one event per key, the acknowledged one; the ledger complete; the balances add up.
  const events = await o.db.usageEvent.findMany({
    where: { workspaceId: { in: ids } },
    select: { id: true, idempotencyKey: true, credits: true, status: true },
  });
  const byKey = new Map(events.map((e) => [e.idempotencyKey, e]));
  let missing = 0;
  for (const d of debits.filter((x) => x.acked)) {
    const e = byKey.get(d.key);
    if (!e || e.id !== d.eventId) {
      missing++;
      problems.add(`acknowledged debit ${d.key} (${d.eventId}) is ${e ? `recorded as ${e.id}` : "missing"}`);
    }
  }
  const extra = events.length - debits.filter((d) => d.acked).length;
  if (extra !== 0) problems.add(`${events.length} events for ${debits.filter((d) => d.acked).length} acknowledged debits`);
  const report = await checkInvariants(o.db, ids);
  for (const v of report.violations) problems.add(v);
  const after = await remainingOf(o.db, ids);
  const charged = events.reduce((s, e) => s + e.credits, 0);
  if (before - after !== charged || charged !== events.length * price.credits)
    problems.add(`balances fell by ${before - after}, events charged ${charged} (${events.length} × ${price.credits})`);

  return {
    did: `${fmt(o.debits)} keyed debits from ${o.clients} clients; kill -9 of the app group after ${appKilledAt} acks, of the postmaster after ${pgKilledAt}; restarts, retries`,
    figures: `acknowledged ${fmt(debits.filter((d) => d.acked).length)}, lost responses retried ${lost.length}, missing ${missing}, duplicates ${Math.max(0, extra)}, violations ${report.violations.length}, double charges ${report.doubleCharges}`,
    ok: problems.count === 0 && report.violations.length === 0,
    problems: problems.list,
  };
}

async function remainingOf(db: Db, ids: string[]): Promise<number> {
  const rows = await db.$queryRaw<
    { n: number }[]
  >`SELECT coalesce(sum(remaining), 0)::int AS n FROM "CreditGrant" WHERE "workspaceId" = ANY(${ids}::text[])`;
  return rows[0]!.n;
}

export type JobsCrashOptions = {
  worker: JobsProcess;
  db: Db;
  databaseUrl: string;
  workspaces: number;
  seed: number;
  recoverWithinMs?: number;
};

/**
 * Scenario 10 — kill -9 of the jobs worker (`npm run jobs`) mid-sweep. Workspaces made 40 days ago, each
 * holding a reservation whose hold expired long ago: the sweep owes each one period rollover (a new
 * allowance grant) and one hold release. The worker is killed while the sweep is part-way through them
 * (checked: some done, some not), started again, and a sweep asked for; every workspace must then have
 * exactly one new grant and its hold released exactly once, with the ledger's invariants intact, within
 * the job lease (the sweep the dead worker left active must not hold the queue for pg-boss's 15 minutes).
 */
export async function runJobsCrash(o: JobsCrashOptions): Promise<Outcome> {
  const { reserve, checkInvariants } = await import("../../lib/credits/index.ts");
  const { now, testClock } = await import("../../lib/clock.ts");
  const { JOBS } = await import("../../lib/jobs/index.ts");
  const problems = new Problems();
  testClock.reset();
  const made = await makeWorkspaces(o.db, o.workspaces, {
    prefix: `verify-jobs-${o.seed}`,
    planId: () => "free",
    at: new Date(now().getTime() - 40 * DAY),
  });
  const ids = made.map((w) => w.id);
  const holds = await mapLimit(made, 8, async (w) => {
    const held = await reserve({
      workspaceId: w.id,
      actionKey: "stems.separate",
      estimate: 10,
      at: new Date(now().getTime() - 40 * DAY + 3_600_000),
    });
    if (held.outcome === "denied") throw new Error(`a reservation of ${w.id} was refused`);
    return held.eventId;
  });
  const grantsBefore = await grantCounts(o.db, ids);
  const released = async () => o.db.usageEvent.count({ where: { id: { in: holds }, status: "RELEASED" } });

  const { boss, stop: stopSender } = await startJobSender(o.databaseUrl);
  let atKill = { done: 0, inFlight: 0, jobState: "" };
  let recoveredIn = 0;
  try {
    await o.worker.start();
    const firstJob = await boss.send(JOBS.creditsSweep, {});
    // Kill it once the sweep is part-way: at least one workspace done, not all.
    const deadline = Date.now() + 60_000;
    let done = 0;
    while (Date.now() < deadline && (done = await released()) === 0) await new Promise((r) => setTimeout(r, 5));
    await o.worker.kill9();
    done = await released();
    const job = firstJob ? await boss.getJobById(JOBS.creditsSweep, firstJob) : null;
    atKill = { done, inFlight: holds.length - done, jobState: job?.state ?? "gone" };
    if (done === 0) problems.add("the sweep never started before the kill (nothing was in flight)");
    if (done === holds.length) problems.add(`the sweep had finished all ${holds.length} workspaces before the kill: make it bigger`);

    // Start again and ask for a sweep: it may only run once the dead worker's job is taken back.
    const restarted = Date.now();
    await o.worker.start();
    await boss.send(JOBS.creditsSweep, {});
    const limit = restarted + (o.recoverWithinMs ?? 180_000);
    while (Date.now() < limit && (await released()) < holds.length) await new Promise((r) => setTimeout(r, 250));
    recoveredIn = Date.now() - restarted;
    const after = await released();
    if (after < holds.length)
      problems.add(
        `${holds.length - after} holds still not released ${Math.round(recoveredIn / 1000)} s after the restart (the dead worker's sweep holds the queue?)`,
      );
  } finally {
    await o.worker.stop();
    await stopSender();
  }

  // Exactly once: one new allowance grant per workspace, each hold released once, the ledger whole.
  const grantsAfter = await grantCounts(o.db, ids);
  const grantsOff = ids.filter((id) => grantsAfter.get(id) !== (grantsBefore.get(id) ?? 0) + 1);
  for (const id of grantsOff.slice(0, 5))
    problems.add(`workspace ${id}: ${grantsBefore.get(id)} → ${grantsAfter.get(id)} allowance grants (one rollover expected)`);
  const moves = await o.db.$queryRaw<{ id: string; holds: number; releases: number }[]>`
    SELECT "usageEventId" AS id, count(*) FILTER (WHERE kind = 'HOLD')::int AS holds, count(*) FILTER (WHERE kind = 'RELEASE')::int AS releases
      FROM "LedgerEntry" WHERE "usageEventId" = ANY(${holds}::text[]) GROUP BY 1`;
  const releasedTwice = moves.filter((m) => m.releases !== m.holds);
  for (const m of releasedTwice.slice(0, 5)) problems.add(`reservation ${m.id}: ${m.holds} hold entries, ${m.releases} release entries`);
  const report = await checkInvariants(o.db, ids);
  for (const v of report.violations) problems.add(v);
  return {
    did: `${fmt(o.workspaces)} workspaces owed a rollover and an expired hold; kill -9 of the jobs worker mid-sweep, restart, sweep`,
    figures: `at the kill: ${fmt(atKill.done)} done, ${fmt(atKill.inFlight)} in flight (job ${atKill.jobState}); all done ${(recoveredIn / 1000).toFixed(0)} s after the restart; grants off ${grantsOff.length}, holds released ≠ once ${releasedTwice.length}, violations ${report.violations.length}`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}

const DAY = 86_400_000;

/** Allowance (SUBSCRIPTION) grants per workspace. */
async function grantCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ id: string; n: number }[]>`
    SELECT "workspaceId" AS id, count(*)::int AS n FROM "CreditGrant" WHERE "workspaceId" = ANY(${ids}::text[]) AND type = 'SUBSCRIPTION' GROUP BY 1`;
  return new Map(rows.map((r) => [r.id, r.n]));
}
