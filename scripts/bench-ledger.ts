// npm run bench:ledger — throughput of the credits ledger against a raw-SQL baseline, and the cost of
// getBalance() as history grows. A benchmark, not a test: it prints a table and one `target met: yes|no`
// line per target, and exits 1 when a target is missed (or anything fails).
//
//   npm run bench:ledger [-- --clients 16 --duration 8 --workspaces 200 --big 1000000 --small 1000 --samples 50 --auto-top-up]
//
// Without DATABASE_URL it runs on an embedded PostgreSQL of its own (scripts/ledger-harness.ts).
// Figures depend on the machine and on whatever else runs on it; compare ratios, not absolute numbers.
// Each ledger measurement alternates with its baseline in slices (--rounds), so load from elsewhere on
// a shared machine falls on both alike.
//
// Targets:
//   1. debits/s through debit() over many workspaces ≥ 0.5 × the raw-SQL baseline over as many accounts
//   2. debits/s through debit() on one hot workspace   ≥ 0.3 × the raw-SQL baseline on one hot account
//   3. getBalance() median on a workspace with 1,000,000 ledger entries this period
//      ≤ 1.5 × its median on a workspace with 1,000
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { formatTable, percentile, runWithLedger, type Harness } from "./ledger-harness.ts";
import {
  createBaseline,
  baselineDebit,
  dropBaseline,
  inTransaction,
  measureInterleaved,
  ms,
  pick,
  rate,
  yesNo,
  type Phase,
} from "./bench-support.ts";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "16" },
    duration: { type: "string", default: "8" }, // seconds per throughput measurement
    rounds: { type: "string", default: "4" }, // slices the measurements alternate in
    warmup: { type: "string", default: "1" }, // seconds before each, not counted
    workspaces: { type: "string", default: "200" },
    big: { type: "string", default: "1000000" },
    small: { type: "string", default: "1000" },
    samples: { type: "string", default: "50" },
    // Every bench workspace with auto top-up on (threshold 1 credit, never crossed): the cost of the
    // crossing check on each debit (credits_charge), against a run without the flag.
    "auto-top-up": { type: "boolean", default: false },
  },
});
const CLIENTS = Number(args.clients);
const DURATION_MS = Number(args.duration) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const ROUNDS = Number(args.rounds);
const WORKSPACES = Number(args.workspaces);
const BIG = Number(args.big);
const SMALL = Number(args.small);
const SAMPLES = Number(args.samples);
for (const [name, v] of Object.entries({ CLIENTS, DURATION_MS, WARMUP_MS, ROUNDS, WORKSPACES, BIG, SMALL, SAMPLES })) {
  if (!Number.isSafeInteger(v) || v < (name === "WARMUP_MS" ? 0 : 1)) throw new Error(`bad option ${name}: ${v}`);
}

const TARGET_MANY = 0.5;
const TARGET_HOT = 0.3;
const TARGET_BALANCE = 1.5;
const MEASURE = { clients: CLIENTS, durationMs: DURATION_MS, rounds: ROUNDS, warmupMs: WARMUP_MS };
/** Credits given to every throughput workspace: far more than a run can spend (1 credit per debit). */
const BENCH_CREDITS = 100_000_000;

/**
 * Writes `n` completed 1-credit usage events into `workspaceId`, set-based, exactly as n debits from
 * grant `grantId` would have left the ledger: per event one DEBIT entry of -1 on the grant, the grant's
 * remaining down by n, and the daily usage rollups (per UTC day and category) up by the same sums.
 * Events are spread evenly over [from, to] (inside the current period). Runs under the workspace lock.
 */
async function seedHistory(
  pool: pg.Pool,
  input: { workspaceId: string; grantId: string; priceId: string; category: string; actionKey: string; n: number; from: Date; to: Date },
): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query("SET LOCAL synchronous_commit = off");
    // The workspace lock every ledger writer takes (lib/credits/ledger.ts lockWorkspace).
    await c.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [input.workspaceId]);
    const span = Math.max(0, input.to.getTime() - input.from.getTime());
    // Timestamps are UTC wall time in timestamp(3) columns (as Prisma stores DateTime).
    await c.query(
      `INSERT INTO "UsageEvent" (id, "workspaceId", "actionKey", category, "priceId", quantity, credits, status, "createdAt", "completedAt")
       SELECT 'bench-' || $1 || '-' || g, $1, $3, $4::"ActionCategory", $2, 1, 1, 'COMPLETED'::"UsageStatus", t.at, t.at
         FROM generate_series(1, $5::int) g,
              LATERAL (SELECT (to_timestamp(($6::bigint + ($7::bigint * g) / ($5::int + 1))::double precision / 1000)
                               AT TIME ZONE 'UTC')::timestamp(3) AS at) t`,
      [input.workspaceId, input.priceId, input.actionKey, input.category, input.n, input.from.getTime(), span],
    );
    await c.query(
      `INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "createdAt")
       SELECT e."workspaceId", $2, -1, 'DEBIT'::"LedgerKind", e.id, e."createdAt"
         FROM "UsageEvent" e
        WHERE e."workspaceId" = $1 AND e.id LIKE 'bench-%'
        ORDER BY e."createdAt"`,
      [input.workspaceId, input.grantId],
    );
    const updated = await c.query(
      `UPDATE "CreditGrant" SET remaining = remaining - $2 WHERE id = $1 AND "workspaceId" = $3 AND remaining >= $2`,
      [input.grantId, input.n, input.workspaceId],
    );
    if (updated.rowCount !== 1) throw new Error(`grant ${input.grantId} cannot cover ${input.n} credits`);
    await c.query(
      `INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
       SELECT "workspaceId", "completedAt"::date, category, sum(credits)::int, count(*)::int
         FROM "UsageEvent" WHERE "workspaceId" = $1 AND id LIKE 'bench-%'
        GROUP BY 1, 2, 3
       ON CONFLICT ("workspaceId", day, category)
       DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + EXCLUDED.events`,
      [input.workspaceId],
    );
  });
}

async function bench(h: Harness): Promise<number> {
  const { db, credits, clock } = h;
  const lines: string[] = [];
  let failed = false;
  const note = (s: string) => console.log(s);

  note(
    `bench:ledger — ${CLIENTS} clients, ${DURATION_MS / 1000} s per measurement in ${ROUNDS} alternating slices (+${WARMUP_MS / 1000} s warm-up), ${WORKSPACES} workspaces`,
  );
  note(
    `database: ${h.external ? "DATABASE_URL from the environment" : "embedded PostgreSQL (fresh)"}; Prisma pool ${CLIENTS}, pg pool ${CLIENTS}`,
  );

  const pool = new pg.Pool({ connectionString: h.url, max: CLIENTS });
  try {
    // ── setup ──────────────────────────────────────────────────────────────────────────────────────
    let t = performance.now();
    const workspaceIds = await h.createWorkspaces(WORKSPACES, { namePrefix: "bench" });
    await h.giveCredits(workspaceIds, BENCH_CREDITS, { sourcePrefix: `bench-${process.pid}` });
    const hot = workspaceIds[0]!;
    if (args["auto-top-up"]) {
      await h.db.workspace.updateMany({ where: { id: { in: workspaceIds } }, data: { autoTopUpThreshold: 1 } });
      note("auto top-up on for every bench workspace (threshold 1 credit: checked on every debit, never crossed)");
    }
    note(
      `setup: ${WORKSPACES} workspaces with ${BENCH_CREDITS.toLocaleString("en-US")} credits each in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const accounts = await createBaseline(pool, WORKSPACES, BENCH_CREDITS);
    const baselineOp = (account: number) => () => baselineDebit(pool, account);
    // Ledger: debit() of a 1-credit action (aria.chat) as the API calls it, no idempotency key.
    let charged = 0; // every successful debit, warm-ups included, to check against the ledger afterwards
    const ledgerOp = (workspaceId: () => string) => async () => {
      const r = await credits.debit({ workspaceId: workspaceId(), actionKey: "aria.chat" });
      if (r.outcome !== "charged") throw new Error(`debit answered ${r.outcome}`);
      charged++;
    };

    // ── 1–2: throughput ────────────────────────────────────────────────────────────────────────────
    note("throughput:");
    const show = (p: Phase) =>
      note(`  ${p.label}: ${rate(p).toFixed(0)} ops/s${p.errors ? `, ${p.errors} errors (first: ${p.firstError})` : ""}`);
    // Many workspaces: baseline and ledger alternate; then the same for one hot workspace / account.
    const [baseMany, ledgerMany] = await measureInterleaved(MEASURE, [
      { label: `baseline SQL, ${WORKSPACES} accounts`, op: () => baselineOp(pick(accounts))() },
      { label: `ledger debit(), ${WORKSPACES} workspaces`, op: ledgerOp(() => pick(workspaceIds)) },
    ]);
    show(baseMany!);
    show(ledgerMany!);
    const [baseHot, ledgerHot] = await measureInterleaved(MEASURE, [
      { label: "baseline SQL, 1 hot account", op: baselineOp(1) },
      { label: "ledger debit(), 1 hot workspace", op: ledgerOp(() => hot) },
    ]);
    show(baseHot!);
    show(ledgerHot!);
    const phases = [baseMany!, ledgerMany!, baseHot!, ledgerHot!];

    // The debits must have left a consistent ledger holding exactly the debits that succeeded.
    const afterThroughput = await credits.checkInvariants(db, workspaceIds);
    if (afterThroughput.violations.length > 0) {
      failed = true;
      lines.push(
        `ledger invariants after the throughput runs: ${afterThroughput.violations.length} violations, e.g. ${afterThroughput.violations.slice(0, 5).join("; ")}`,
      );
    }
    const [recorded] = await db.$queryRaw<{ events: number; debited: number }[]>`
      SELECT (SELECT count(*) FROM "UsageEvent" WHERE "workspaceId" = ANY(${workspaceIds}::text[]) AND status = 'COMPLETED')::int AS events,
             (SELECT coalesce(-sum(amount), 0) FROM "LedgerEntry" WHERE "workspaceId" = ANY(${workspaceIds}::text[]) AND kind = 'DEBIT')::int AS debited`;
    note(
      `ledger after the throughput runs: ${charged} debits answered charged, ${recorded?.events} events, ${recorded?.debited} credits debited`,
    );
    if (recorded?.events !== charged || recorded?.debited !== charged) {
      failed = true;
      lines.push(`the ledger records ${recorded?.events} events and ${recorded?.debited} debited credits for ${charged} successful debits`);
    }

    // ── 3: getBalance() with 1k vs 1M ledger entries this period ──────────────────────────────────
    const at = clock.now();
    const period = credits.creditPeriod(at, "MONTH", at);
    const price = await db.actionPrice.findFirstOrThrow({ where: { actionKey: "aria.chat" }, orderBy: { version: "desc" } });
    // Both made at the period start (so their grants exist before their history), on the Free plan.
    const [small, big] = await h.createWorkspaces(2, { namePrefix: "balance", at: period.start });
    const sizes = new Map([
      [small!, SMALL],
      [big!, BIG],
    ]);
    const prefix = `bench-history-${process.pid}`;
    await h.giveCredits([small!, big!], (i) => (i === 0 ? SMALL : BIG) + 1_000, { sourcePrefix: prefix, at: period.start });
    note(`history: seeding ${SMALL.toLocaleString("en-US")} and ${BIG.toLocaleString("en-US")} debits this period …`);
    t = performance.now();
    for (const [workspaceId, n] of sizes) {
      const grant = await db.creditGrant.findUniqueOrThrow({
        where: { workspaceId_source: { workspaceId, source: `${prefix}:${workspaceId}` } },
      });
      await seedHistory(pool, {
        workspaceId,
        grantId: grant.id,
        priceId: price.id,
        category: price.category,
        actionKey: price.actionKey,
        n,
        from: new Date(period.start.getTime() + 1_000),
        to: new Date(Math.max(period.start.getTime() + 1_000, at.getTime() - 1_000)),
      });
    }
    // Fresh statistics, as autovacuum would gather shortly after such a load.
    await pool.query(`ANALYZE "UsageEvent", "LedgerEntry", "CreditGrant", "UsageRollup"`);
    note(`history: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const report = await credits.checkInvariants(db, [small!, big!]);
    const ledgerCounts = await db.ledgerEntry.groupBy({
      by: ["workspaceId"],
      where: { workspaceId: { in: [small!, big!] } },
      _count: { _all: true },
    });
    note(`history: invariants checked in ${((performance.now() - t) / 1000).toFixed(1)} s — ${report.violations.length} violations`);
    if (report.violations.length > 0) {
      console.error(
        `SEEDED LEDGER IS INCONSISTENT (${report.violations.length} violations):\n  ${report.violations.slice(0, 20).join("\n  ")}`,
      );
      throw new Error("the seeded history violates the ledger invariants");
    }
    for (const [workspaceId, n] of sizes) {
      const balance = await credits.getBalance(workspaceId);
      // used = this period's debits; the purchased grant keeps its 1,000 spare credits.
      if (balance.used !== n || balance.remainingByType.PURCHASED !== 1_000) {
        throw new Error(
          `workspace ${workspaceId}: getBalance says used ${balance.used}, purchased left ${balance.remainingByType.PURCHASED}; expected ${n} and 1000`,
        );
      }
    }

    // Warm-up, then SAMPLES timed calls per workspace, alternating so machine noise hits both alike.
    for (let i = 0; i < 10; i++) {
      await credits.getBalance(small!);
      await credits.getBalance(big!);
    }
    const timings = new Map<string, number[]>([
      [small!, []],
      [big!, []],
    ]);
    for (let i = 0; i < SAMPLES; i++) {
      for (const workspaceId of i % 2 === 0 ? [small!, big!] : [big!, small!]) {
        const t0 = performance.now();
        await credits.getBalance(workspaceId);
        timings.get(workspaceId)!.push(performance.now() - t0);
      }
    }
    const stat = (workspaceId: string) => {
      const sorted = [...timings.get(workspaceId)!].sort((a, b) => a - b);
      return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    const smallStat = stat(small!);
    const bigStat = stat(big!);
    const entries = (id: string) => ledgerCounts.find((c) => c.workspaceId === id)?._count._all ?? 0;

    // ── report ─────────────────────────────────────────────────────────────────────────────────────
    note("");
    note(
      formatTable(
        ["throughput (debits moving 1 credit)", "clients", "ops", "ops/s", "p50 ms", "p95 ms", "errors"],
        phases.map((p) => [
          p.label,
          CLIENTS,
          p.ops,
          rate(p).toFixed(0),
          ms(percentile(p.latencies, 50)),
          ms(percentile(p.latencies, 95)),
          p.errors,
        ]),
      ),
    );
    note("");
    note(
      formatTable(
        ["getBalance() (sequential, after warm-up)", "ledger entries", "calls", "median ms", "p95 ms"],
        [
          [
            `workspace with ${SMALL.toLocaleString("en-US")} debits this period`,
            entries(small!),
            SAMPLES,
            ms(smallStat.median),
            ms(smallStat.p95),
          ],
          [`workspace with ${BIG.toLocaleString("en-US")} debits this period`, entries(big!), SAMPLES, ms(bigStat.median), ms(bigStat.p95)],
        ],
      ),
    );
    note("");

    const errors = phases.reduce((s, p) => s + p.errors, 0);
    if (errors > 0) {
      failed = true;
      lines.push(`${errors} operations failed during the throughput runs (see above)`);
    }
    const manyRatio = rate(ledgerMany!) / rate(baseMany!);
    const hotRatio = rate(ledgerHot!) / rate(baseHot!);
    const balanceRatio = bigStat.median / smallStat.median;
    const targets = [
      {
        text: `debits/s, ${WORKSPACES} workspaces: ledger ${rate(ledgerMany!).toFixed(0)} / baseline ${rate(baseMany!).toFixed(0)} = ${manyRatio.toFixed(2)} (target ≥ ${TARGET_MANY})`,
        met: manyRatio >= TARGET_MANY,
      },
      {
        text: `debits/s, 1 hot workspace: ledger ${rate(ledgerHot!).toFixed(0)} / baseline ${rate(baseHot!).toFixed(0)} = ${hotRatio.toFixed(2)} (target ≥ ${TARGET_HOT})`,
        met: hotRatio >= TARGET_HOT,
      },
      {
        text: `getBalance() median, ${BIG.toLocaleString("en-US")} vs ${SMALL.toLocaleString("en-US")} entries: ${ms(bigStat.median)} ms / ${ms(smallStat.median)} ms = ${balanceRatio.toFixed(2)} (target ≤ ${TARGET_BALANCE})`,
        met: balanceRatio <= TARGET_BALANCE,
      },
    ];
    for (const target of targets) {
      note(target.text);
      note(`target met: ${yesNo(target.met)}`);
      if (!target.met) failed = true;
    }
    for (const line of lines) console.error(`FAILED: ${line}`);
    note(failed ? "bench:ledger: FAILED" : "bench:ledger: all targets met");
    return failed ? 1 : 0;
  } finally {
    await dropBaseline(pool);
    await pool.end();
  }
}

await runWithLedger({ name: "bench-ledger", port: 54371, poolSize: CLIENTS }, bench);
