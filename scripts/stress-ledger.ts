// npm run stress:ledger — random concurrent operations against the credits ledger, then the ledger
// invariants (lib/credits/invariants.ts). A stress run, not a test: exits 0 only when no operation
// failed unexpectedly and the ledger has no violations, overdrafts or double charges.
//
//   npm run stress:ledger [-- --seed 1234 --ops 10000 --workers 32 --workspaces 50 --pool 16 --port 54372]
//
// What runs: `--workers` async clients share one Prisma pool of `--pool` connections and together make
// `--ops` operations across `--workspaces` workspaces (Free, Starter, Pro and Enterprise plans):
//   debit · check · reserve · commitReservation · releaseReservation · refund · addCredits · rollover
// (rollover moves the test clock forward, now and then into the next calendar month, so allowances
// renew and expire, holds expire and queued events drain while other operations are in flight).
// Expected refusals (AppError insufficient_credits, conflict, idempotency_conflict, too_many_pending,
// not_found, validation_failed for the deliberately unknown action) are normal outcomes; any other
// error is a failure.
//
// Reproducibility: operation n of worker w draws its type and arguments from a PRNG seeded with
// (seed, w, n), so a seed fixes the operations each worker makes (the per-operation counts repeat
// exactly). Which reservation or event an operation picks from the shared pools, and so some
// outcomes, still depends on the timing between workers.
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { formatTable, runWithLedger, type Harness } from "./ledger-harness.ts";
import { mulberry32, Rng } from "../lib/random.ts";

const { values: args } = parseArgs({
  options: {
    seed: { type: "string" },
    ops: { type: "string", default: "10000" },
    workers: { type: "string", default: "32" },
    workspaces: { type: "string", default: "50" },
    pool: { type: "string", default: "16" },
    port: { type: "string", default: "54372" },
  },
});
const SEED = args.seed === undefined ? randomInt(0, 2 ** 32) : Number(args.seed) >>> 0;
const OPS = Number(args.ops);
const WORKERS = Number(args.workers);
const WORKSPACES = Number(args.workspaces);
const POOL = Number(args.pool);
if (args.seed !== undefined && !/^\d+$/.test(args.seed)) throw new Error(`--seed must be a whole number, got ${args.seed}`);
for (const [name, v] of Object.entries({ OPS, WORKERS, WORKSPACES, POOL })) {
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`bad option ${name}: ${v}`);
}

/** A 32-bit hash of a few integers (FNV-1a style), to seed one PRNG per operation. */
function mix(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** How often each operation is drawn. */
const WEIGHTS = {
  debit: 32,
  check: 10,
  reserve: 16,
  commitReservation: 13,
  releaseReservation: 7,
  refund: 7,
  addCredits: 5,
  rollover: 1,
} as const;
type OpType = keyof typeof WEIGHTS;

/** AppError codes that are answers, not failures. */
const EXPECTED_CODES = new Set([
  "insufficient_credits",
  "conflict",
  "idempotency_conflict",
  "too_many_pending",
  "not_found",
  "validation_failed",
]);

type Reservation = { id: string; held: number; committedWith: number | null };
type WorkspaceState = {
  id: string;
  plan: string;
  apiClientId: string;
  /** Reservations this run believes PENDING. */
  pending: Reservation[];
  /** Every reservation made (for double commits and releases). */
  reservations: Reservation[];
  /** Events charged (debits, commits): refund candidates, refunded ones stay for double refunds. */
  charged: string[];
  /** Idempotency keys used in debits, with the action and quantity first sent with them. */
  idempotencyKeys: { key: string; actionKey: string; quantity: number }[];
  sources: string[];
};

async function stress(h: Harness): Promise<number> {
  const { db, credits, clock, errors } = h;
  const setupRng = new Rng(mulberry32(SEED));
  console.log(
    `stress:ledger — seed ${SEED} (rerun with --seed ${SEED}); ${OPS} ops, ${WORKERS} workers, ${WORKSPACES} workspaces, Prisma pool ${POOL}`,
  );

  // ── setup: workspaces on a mix of plans, an API client each, some purchased credits ─────────────
  const plans = ["free", "free", "free", "starter", "free", "free", "pro", "free", "enterprise", "free"];
  const planOf = (i: number) => plans[i % plans.length]!;
  const ids = await h.createWorkspaces(WORKSPACES, { namePrefix: "stress", planId: planOf });
  // Scarce on purpose: most workspaces run dry now and then, so denials, queueing and short commits happen.
  const purchased = ids.map(() => (setupRng.chance(0.5) ? 0 : setupRng.int(1, 100)));
  await h.giveCredits(ids, (i) => purchased[i]!, { sourcePrefix: `stress-${SEED}` });
  const workspaces: WorkspaceState[] = [];
  for (const [i, id] of ids.entries()) {
    const client = await db.apiClient.create({
      data: {
        workspaceId: id,
        name: "stress key",
        prefix: `cb_stress_${process.pid}_${SEED}_${i}`,
        secretHash: `stress-${i}`,
        maxPending: 4,
      },
    });
    workspaces.push({
      id,
      plan: planOf(i),
      apiClientId: client.id,
      pending: [],
      reservations: [],
      charged: [],
      idempotencyKeys: [],
      sources: [],
    });
  }
  // Sorted, so a seed picks the same actions every run.
  const actions = (
    await db.actionPrice.findMany({
      where: { active: true },
      select: { actionKey: true },
      distinct: ["actionKey"],
      orderBy: { actionKey: "asc" },
    })
  ).map((a) => a.actionKey);
  const reservable = ["stems.separate", "video.generate"].filter((a) => actions.includes(a));
  const planCounts = [...new Set(plans)].map((p) => `${workspaces.filter((w) => w.plan === p).length} ${p}`);
  console.log(
    `setup: ${WORKSPACES} workspaces (${planCounts.join(", ")}), ${purchased.filter((c) => c > 0).length} with purchased credits, ${actions.length} priced actions`,
  );

  // ── the run ──────────────────────────────────────────────────────────────────────────────────────
  const tally = new Map<OpType, Map<string, number>>();
  const count = (op: OpType, outcome: string) => {
    const m = tally.get(op) ?? new Map<string, number>();
    m.set(outcome, (m.get(outcome) ?? 0) + 1);
    tally.set(op, m);
  };
  const failures: string[] = [];
  let failureCount = 0;
  let opsDone = 0;
  const clockStart = clock.now();

  const removePending = (ws: WorkspaceState, id: string) => {
    ws.pending = ws.pending.filter((r) => r.id !== id);
  };

  /** One random operation; returns the outcome label for the tally. */
  async function operate(op: OpType, rng: Rng, worker: number, n: number): Promise<string> {
    const ws = rng.pick(workspaces)!;
    const actor = rng.chance(0.5) ? { apiClientId: ws.apiClientId } : undefined;
    switch (op) {
      case "debit": {
        // 1 % unknown action (validation_failed). A quarter carry an idempotency key: a new one, or a used
        // one resent with the same request (replayed) or, now and then, a different one (conflict).
        let actionKey = rng.chance(0.01) ? "no.such.action" : rng.pick(actions)!;
        let quantity = rng.int(1, 4);
        let idempotencyKey: string | undefined;
        if (rng.chance(0.25)) {
          const used = rng.chance(0.4) ? rng.pick(ws.idempotencyKeys) : undefined;
          if (used && rng.chance(0.8)) ({ actionKey, quantity } = used);
          idempotencyKey = used?.key ?? `k-${worker}-${n}`;
          if (!used) ws.idempotencyKeys.push({ key: idempotencyKey, actionKey, quantity });
        }
        const r = await credits.debit({ workspaceId: ws.id, actionKey, quantity, idempotencyKey, actor });
        if (r.outcome !== "denied" && !r.replayed && r.status === "COMPLETED") ws.charged.push(r.eventId);
        if (r.remaining < 0) throw new Error(`debit answered remaining ${r.remaining}`);
        return r.outcome === "denied" ? `denied (${r.policy.toLowerCase()})` : r.replayed ? "replayed" : r.outcome;
      }
      case "check": {
        const r = await credits.check({ workspaceId: ws.id, actionKey: rng.pick(actions)!, quantity: rng.int(1, 3) });
        if (r.remaining < 0 || r.cost < 0) throw new Error(`check answered remaining ${r.remaining}, cost ${r.cost}`);
        return r.outcome;
      }
      case "reserve": {
        // Reservable actions at their reserve price, or any action with an explicit estimate; some short holds.
        const explicit = reservable.length === 0 || rng.chance(0.3);
        const r = await credits.reserve({
          workspaceId: ws.id,
          actionKey: explicit ? rng.pick(actions)! : rng.pick(reservable)!,
          estimate: explicit ? rng.int(0, 40) : undefined,
          holdMs: rng.chance(0.3) ? rng.int(60_000, 30 * 60_000) : undefined,
          idempotencyKey: rng.chance(0.1) ? `r-${worker}-${rng.int(0, 20)}` : undefined,
          actor: rng.chance(0.7) ? { apiClientId: ws.apiClientId } : undefined,
          pendingLimit: 4,
        });
        if (r.outcome === "denied") return `denied (${r.policy.toLowerCase()})`;
        if (r.replayed) return "replayed";
        const reservation = { id: r.eventId, held: r.credits, committedWith: null };
        ws.pending.push(reservation);
        ws.reservations.push(reservation);
        return r.outcome;
      }
      case "commitReservation": {
        // Mostly a pending one; sometimes any (double commit, commit after release); sometimes unknown.
        const roll = rng.next();
        const target =
          roll < 0.8 ? (rng.pick(ws.pending) ?? rng.pick(ws.reservations)) : roll < 0.95 ? rng.pick(ws.reservations) : undefined;
        const actual =
          target?.committedWith != null && rng.chance(0.5) ? target.committedWith : rng.int(0, Math.ceil((target?.held ?? 10) * 1.5));
        const r = await credits.commitReservation({
          workspaceId: ws.id,
          reservationId: target?.id ?? `missing-${worker}-${n}`,
          actual,
          actor,
        });
        if (target) {
          removePending(ws, target.id);
          target.committedWith = actual;
        }
        if (!r.replayed) ws.charged.push(r.eventId);
        return r.replayed ? "replayed" : r.short ? "committed (short)" : "committed";
      }
      case "releaseReservation": {
        const roll = rng.next();
        const target =
          roll < 0.85 ? (rng.pick(ws.pending) ?? rng.pick(ws.reservations)) : roll < 0.95 ? rng.pick(ws.reservations) : undefined;
        const r = await credits.releaseReservation({ workspaceId: ws.id, reservationId: target?.id ?? `missing-${worker}-${n}` });
        if (target) removePending(ws, target.id);
        return r.replayed ? "replayed" : "released";
      }
      case "refund": {
        // A charged event (maybe already refunded), a reservation in whatever state, or an unknown id.
        const roll = rng.next();
        const eventId = roll < 0.85 ? rng.pick(ws.charged) : roll < 0.95 ? rng.pick(ws.reservations)?.id : undefined;
        const r = await credits.refund({ workspaceId: ws.id, eventId: eventId ?? `missing-${worker}-${n}`, actor, reason: "stress" });
        return r.replayed ? "replayed" : r.toBonusGrant > 0 ? "refunded (to bonus grant)" : "refunded";
      }
      case "addCredits": {
        // Purchased packs; some expiring bonus grants; some repeated sources (must be no-ops).
        const repeat = rng.chance(0.05) ? rng.pick(ws.sources) : undefined;
        const source = repeat ?? `stress-${worker}-${n}`;
        const bonus = rng.chance(0.15);
        const created = await credits.addCredits({
          workspaceId: ws.id,
          type: bonus ? "BONUS" : "PURCHASED",
          credits: rng.int(1, 30),
          expiresAt: bonus ? new Date(clock.now().getTime() + rng.int(1, 20 * 24) * 3_600_000) : null,
          source,
          actor,
          reason: "stress",
        });
        if (!repeat) ws.sources.push(source);
        if (created === null && !repeat) throw new Error(`addCredits with the new source ${source} granted nothing`);
        if (created !== null && repeat) throw new Error(`addCredits with the used source ${source} granted again`);
        return created ? (bonus ? "granted (expiring bonus)" : "granted") : "duplicate source (no-op)";
      }
      case "rollover": {
        // Time only moves forward: up to an hour (holds of 1 h or less expire), or into the next calendar
        // month (allowances renew, last period's expire, queued events drain).
        if (rng.chance(0.05)) {
          const at = clock.now();
          const next = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) + rng.int(0, 60) * 60_000);
          clock.testClock.set(next);
          return "next period";
        }
        clock.testClock.advance(rng.int(1, 60) * 60_000);
        return "advance";
      }
    }
  }

  const start = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      const share = Math.floor(OPS / WORKERS) + (worker < OPS % WORKERS ? 1 : 0);
      for (let n = 0; n < share; n++) {
        const rng = new Rng(mulberry32(mix(SEED, worker, n)));
        const op = rng.weighted(WEIGHTS);
        try {
          count(op, await operate(op, rng, worker, n));
        } catch (err) {
          if (err instanceof errors.AppError && EXPECTED_CODES.has(err.code)) {
            count(op, `error: ${err.code}`);
          } else {
            count(op, "FAILED");
            failureCount++;
            if (failures.length < 20)
              failures.push(`${op} (worker ${worker}, op ${n}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          }
        }
        opsDone++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;

  // ── the invariants, for every workspace of the run ──────────────────────────────────────────────
  const report = await credits.checkInvariants(db, ids);
  const stats = await db.$queryRaw<{ events: number; entries: number; grants: number; queued: number; pending: number }[]>`
    SELECT (SELECT count(*) FROM "UsageEvent" WHERE "workspaceId" = ANY(${ids}::text[]))::int AS events,
           (SELECT count(*) FROM "LedgerEntry" WHERE "workspaceId" = ANY(${ids}::text[]))::int AS entries,
           (SELECT count(*) FROM "CreditGrant" WHERE "workspaceId" = ANY(${ids}::text[]))::int AS grants,
           (SELECT count(*) FROM "UsageEvent" WHERE "workspaceId" = ANY(${ids}::text[]) AND status = 'QUEUED')::int AS queued,
           (SELECT count(*) FROM "UsageEvent" WHERE "workspaceId" = ANY(${ids}::text[]) AND status = 'PENDING')::int AS pending`;
  // Spendable credits left per metered workspace (what getBalance would call remaining, as of now).
  const balances = await db.$queryRaw<{ remaining: number }[]>`
    SELECT coalesce(sum(g.remaining) FILTER (WHERE g."expiresAt" IS NULL OR g."expiresAt" > ${clock.now()}::timestamp(3)), 0)::int AS remaining
      FROM "Workspace" w JOIN "Plan" p ON p.id = w."planId" LEFT JOIN "CreditGrant" g ON g."workspaceId" = w.id
     WHERE w.id = ANY(${ids}::text[]) AND p."monthlyCredits" IS NOT NULL
     GROUP BY w.id ORDER BY 1`;

  const order = Object.keys(WEIGHTS) as OpType[];
  console.log("");
  console.log(
    formatTable(
      ["operation", "count", "outcomes"],
      order.map((op) => {
        const m = tally.get(op) ?? new Map<string, number>();
        const total = [...m.values()].reduce((s, v) => s + v, 0);
        const outcomes = [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
        return [op, total, outcomes.join(", ")];
      }),
    ),
  );
  console.log("");
  const s = stats[0]!;
  console.log(`clock moved from ${clockStart.toISOString()} to ${clock.now().toISOString()}`);
  console.log(
    `ledger: ${s.events} usage events (${s.queued} still queued, ${s.pending} pending), ${s.entries} ledger entries, ${s.grants} grants`,
  );
  const left = balances.map((b) => b.remaining);
  console.log(
    `spendable credits left in the ${left.length} metered workspaces: min ${left[0] ?? 0}, median ${left[Math.floor(left.length / 2)] ?? 0}, max ${left[left.length - 1] ?? 0}`,
  );
  console.log(`ops done: ${opsDone}`);
  console.log(`ops/s: ${(opsDone / seconds).toFixed(0)} (${seconds.toFixed(1)} s)`);
  const targets: [string, number][] = [
    ["unexpected errors", failureCount],
    ["violations", report.violations.length],
    ["overdrafts", report.overdrafts],
    ["double charges", report.doubleCharges],
  ];
  for (const [name, n] of targets) console.log(`${name}: ${n}\ntarget met: ${n === 0 ? "yes" : "no"} (${name} must be 0)`);

  const ok = failureCount === 0 && report.violations.length === 0 && report.overdrafts === 0 && report.doubleCharges === 0;
  if (report.violations.length > 0) console.error(`\nfirst violations:\n  ${report.violations.slice(0, 20).join("\n  ")}`);
  if (failures.length > 0) console.error(`\nfirst unexpected errors:\n  ${failures.join("\n  ")}`);
  console.log(ok ? `stress:ledger: OK (seed ${SEED})` : `stress:ledger: FAILED (seed ${SEED})`);
  return ok ? 0 : 1;
}

await runWithLedger({ name: "stress-ledger", port: Number(args.port), poolSize: POOL }, stress);
