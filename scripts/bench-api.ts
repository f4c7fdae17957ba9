// npm run bench:api — the metering API over HTTP. Starts the built app (next start) on an embedded
// PostgreSQL and drives POST /api/v1/track with autocannon across many workspaces and on one hot
// workspace (keys with caps raised), a no-op route of the same app (the framework's own ceiling here),
// and in the same run the raw-SQL baseline of bench:ledger at the same concurrency. Then it measures
// latency at half the maximum load. Prints `target met: yes|no` per target; exits non-zero on a miss.
//   npm run bench:api [-- --connections 16 --duration 8 --workspaces 200 --port 3230 --cpu-prof .reports/cpu]
// --cpu-prof DIR writes a V8 CPU profile of the app process there when it stops (docs/performance.md
// "The metering hot path" reads them with scripts/profile-summary.ts).
import autocannon from "autocannon";
import pg from "pg";
import { parseArgs } from "node:util";
import { startApp } from "./app-harness.ts";
import { baselineDebit, createBaseline, dropBaseline, measureInterleaved, ms, pick, rate, treeCpuMs, yesNo } from "./bench-support.ts";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "16" },
    duration: { type: "string", default: "8" },
    workspaces: { type: "string", default: "200" },
    port: { type: "string", default: "3230" },
    "cpu-prof": { type: "string" },
  },
});
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const WORKSPACES = Number(args.workspaces);
const TARGET_RATIO = 0.5;
const TARGET_TAIL = 5;

type Run = { label: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number; cpuMs: number };

let appPid = 0;

async function drive(label: string, base: string, opts: { path: string; method?: "GET" | "POST"; keys?: string[]; rate?: number }): Promise<Run> {
  const cpuBefore = treeCpuMs(appPid);
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [
      {
        method: opts.method ?? "GET",
        path: opts.path,
        ...(opts.keys
          ? {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                headers: { authorization: `Bearer ${pick(opts.keys!)}`, "content-type": "application/json" },
                body: JSON.stringify({ action: "aria.chat" }),
              }),
            }
          : {}),
      },
    ],
  });
  const cpuMs = treeCpuMs(appPid) - cpuBefore;
  return { label, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, total: result.requests.total, cpuMs };
}

const profileDir = args["cpu-prof"];
const app = await startApp({
  name: "bench-api",
  instances: 1,
  basePort: Number(args.port),
  ...(profileDir ? { cpuProfileDir: profileDir } : {}),
});
appPid = app.pids[0]!;
let exitCode = 1;
const pool = new pg.Pool({ connectionString: app.databaseUrl, max: CONNECTIONS });
try {
  const base = app.urls[0]!;
  const { db, closeDb } = await import("../lib/db.ts");
  const { createWorkspace } = await import("../lib/workspaces/create.ts");
  const { addCredits } = await import("../lib/credits/index.ts");
  const { createApiKey } = await import("../lib/metering/keys.ts");
  console.log(`bench:api — ${CONNECTIONS} connections, ${DURATION} s per run, ${WORKSPACES} workspaces, app at ${base}`);
  const keys: string[] = [];
  for (let i = 0; i < WORKSPACES; i++) {
    const w = await db.$transaction((tx) => createWorkspace(tx, { name: `api bench ${i}`, at: new Date() }));
    await addCredits({ workspaceId: w.id, type: "PURCHASED", credits: 100_000_000, expiresAt: null, source: "bench-api" });
    keys.push((await createApiKey({ kind: "WORKSPACE", workspaceId: w.id, name: "bench", hourlyCap: 1_000_000_000 })).key);
  }

  const accounts = await createBaseline(pool, WORKSPACES, 100_000_000);
  const [baseline] = await measureInterleaved({ clients: CONNECTIONS, durationMs: DURATION * 1000, rounds: 1, warmupMs: 1000 }, [
    { label: "baseline SQL", op: () => baselineDebit(pool, pick(accounts)) },
  ]);
  await drive("warm-up", base, { path: "/api/v1/track", method: "POST", keys });
  const many = await drive(`POST /api/v1/track, ${WORKSPACES} workspaces`, base, { path: "/api/v1/track", method: "POST", keys });
  const hot = await drive("POST /api/v1/track, 1 hot workspace", base, { path: "/api/v1/track", method: "POST", keys: [keys[0]!] });
  const noop = await drive("GET /api/ping (no-op)", base, { path: "/api/ping" });
  const half = await drive(`POST /api/v1/track at half load (${Math.round(many.rps / 2)} req/s)`, base, {
    path: "/api/v1/track",
    method: "POST",
    keys,
    rate: Math.max(1, Math.round(many.rps / 2)),
  });

  const rows = [many, hot, noop, half];
  console.log(`\nbaseline SQL (${CONNECTIONS} clients): ${rate(baseline!).toFixed(0)} ops/s, p50 ${ms(baseline!.latencies[Math.floor(baseline!.latencies.length / 2)] ?? 0)} ms`);
  console.log("\nrun                                                     req/s   p50 ms  p99 ms  non-2xx  errors  app CPU ms/req");
  const perReq = (r: Run) => r.cpuMs / Math.max(1, r.total);
  for (const r of rows) console.log(`${r.label.padEnd(54)} ${r.rps.toFixed(0).padStart(6)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(7)} ${String(r.non2xx).padStart(8)} ${String(r.errors).padStart(7)} ${perReq(r).toFixed(2).padStart(15)}`);
  const ratio = many.rps / rate(baseline!);
  const tail = half.p99 / Math.max(half.p50, 1);
  const clean = rows.every((r) => r.non2xx === 0 && r.errors === 0);
  console.log(`\nHTTP debits vs raw-SQL baseline: ${many.rps.toFixed(0)} / ${rate(baseline!).toFixed(0)} = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO})`);
  console.log(`target met: ${yesNo(ratio >= TARGET_RATIO)}`);
  console.log(`HTTP debits vs the no-op route: ${many.rps.toFixed(0)} / ${noop.rps.toFixed(0)} = ${(many.rps / noop.rps).toFixed(2)} (for information)`);
  console.log(`app CPU per debit vs per no-op request: ${perReq(many).toFixed(2)} / ${perReq(noop).toFixed(2)} = ${(perReq(many) / perReq(noop)).toFixed(2)} ms (issue 20's T6 target ≤ 1.5, for information)`);
  console.log(`p99 / p50 at half load: ${half.p99} / ${half.p50} = ${tail.toFixed(1)} (target ≤ ${TARGET_TAIL})`);
  console.log(`target met: ${yesNo(tail <= TARGET_TAIL)}`);
  console.log(`every response 2xx: ${yesNo(clean)}`);
  exitCode = ratio >= TARGET_RATIO && tail <= TARGET_TAIL && clean ? 0 : 1;
  console.log(exitCode === 0 ? "bench:api: all targets met" : "bench:api: FAILED");
  await dropBaseline(pool);
  await closeDb();
} catch (err) {
  console.error(err);
} finally {
  await pool.end().catch(() => {});
  await app.stop();
}
process.exit(exitCode);
