// Shared by the benchmarks (npm run bench:ledger, npm run bench:api): interleaved throughput
// measurement and the raw-SQL baseline every target is a ratio of.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import type autocannon from "autocannon";
import type pg from "pg";

export type Phase = { label: string; ops: number; seconds: number; latencies: number[]; errors: number; firstError: string | null };

export type MeasureOptions = { clients: number; durationMs: number; rounds: number; warmupMs: number };

/**
 * Measures several operations' throughput from `clients` concurrent async clients each. Each operation
 * is warmed up first (not counted). Then the measured time (durationMs per operation) is cut into
 * `rounds` slices taken in turn — A, B, A, B, … — so that load from elsewhere on a shared machine falls
 * on all of them alike. Throughput = operations completed in the slices / total slice time.
 */
export async function measureInterleaved(o: MeasureOptions, ops: { label: string; op: () => Promise<void> }[]): Promise<Phase[]> {
  const phases: Phase[] = ops.map(({ label }) => ({ label, ops: 0, seconds: 0, latencies: [], errors: 0, firstError: null }));
  const slice = async (phase: Phase, op: () => Promise<void>, ms: number, count: boolean) => {
    const start = performance.now();
    const until = start + ms;
    const loop = async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await op();
          if (count) {
            phase.ops++;
            phase.latencies.push(performance.now() - t0);
          }
        } catch (err) {
          phase.errors++;
          phase.firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    };
    await Promise.all(Array.from({ length: o.clients }, loop));
    if (count) phase.seconds += (performance.now() - start) / 1000;
  };
  if (o.warmupMs > 0) for (const [i, { op }] of ops.entries()) await slice(phases[i]!, op, o.warmupMs, false);
  for (let round = 0; round < o.rounds; round++) {
    for (const [i, { op }] of ops.entries()) await slice(phases[i]!, op, o.durationMs / o.rounds, true);
  }
  for (const p of phases) p.latencies.sort((x, y) => x - y);
  return phases;
}

export const rate = (p: Phase) => p.ops / p.seconds;
export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
export const yesNo = (ok: boolean) => (ok ? "yes" : "no");
export const ms = (v: number) => v.toFixed(2);

/** The baseline's two tables: one balance row per account, an append-only log of moves. */
export async function createBaseline(pool: pg.Pool, accounts: number, balance: number): Promise<number[]> {
  await dropBaseline(pool);
  await pool.query("CREATE TABLE bench_balance (id integer PRIMARY KEY, balance bigint NOT NULL)");
  await pool.query(
    "CREATE TABLE bench_log (id bigserial PRIMARY KEY, account_id integer NOT NULL, amount integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
  );
  await pool.query("INSERT INTO bench_balance (id, balance) SELECT g, $2 FROM generate_series(1, $1::int) g", [accounts, balance]);
  return Array.from({ length: accounts }, (_, i) => i + 1);
}

export async function dropBaseline(pool: pg.Pool): Promise<void> {
  await pool
    .query("DROP TABLE IF EXISTS bench_log, bench_balance")
    .catch((err: unknown) => console.error("dropping the baseline tables failed:", err));
}

/** Runs `fn` in a transaction on one connection of `pool`: committed, or rolled back on error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const result = await fn(c);
    await c.query("COMMIT");
    return result;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

/** The baseline: the minimal transaction that moves a balance and logs it, 4 round trips over `pg`. */
export function baselineDebit(pool: pg.Pool, account: number): Promise<void> {
  return inTransaction(pool, async (c) => {
    const r = await c.query("UPDATE bench_balance SET balance = balance - 1 WHERE id = $1", [account]);
    if (r.rowCount !== 1) throw new Error(`account ${account} missing`);
    await c.query("INSERT INTO bench_log (account_id, amount) VALUES ($1, -1)", [account]);
  });
}

/**
 * CPU time (user + system, ms) used so far by a process and all its descendants (Linux /proc): the app
 * as the harness started it (scripts/serve.mjs and the Next server under it). On a shared, loaded machine
 * CPU per request is steadier than requests per second.
 */
export function treeCpuMs(root: number): number {
  const ticks = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks });
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === root) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, s] of stats) if (inTree(pid)) total += s.cpu;
  return total;
}

/** autocannon's request: `GET /api/ping`, or with `keys` a `POST /api/v1/track` (aria.chat) with one of them at random. */
export function routeRequest(keys: readonly string[] | null): autocannon.Request {
  if (!keys) return { method: "GET", path: "/api/ping" };
  return {
    method: "POST",
    path: "/api/v1/track",
    setupRequest: (req: autocannon.Request) => ({
      ...req,
      headers: { authorization: `Bearer ${pick(keys)}`, "content-type": "application/json" },
      body: JSON.stringify({ action: "aria.chat" }),
    }),
  };
}

/**
 * A workspace for the HTTP benchmarks: `credits` bought, one workspace key (an hourly cap out of the way)
 * and hard budgets on the key (a day, `keyBudget`) and on the workspace (a month) — issue 22: the hot path
 * checks budgets throughout. Imports lib/ when called: DATABASE_URL must be set by then.
 */
export async function benchWorkspace(name: string, credits: number, keyBudget = 1_000_000_000): Promise<{ id: string; key: string }> {
  const { db } = await import("../lib/db.ts");
  const { createWorkspace } = await import("../lib/workspaces/create.ts");
  const { addCredits } = await import("../lib/credits/index.ts");
  const { createApiKey } = await import("../lib/metering/keys.ts");
  const { setBudget } = await import("../lib/budgets/manage.ts");
  const w = await db.$transaction((tx) => createWorkspace(tx, { name, at: new Date() }));
  await addCredits({ workspaceId: w.id, type: "PURCHASED", credits, expiresAt: null, source: "bench" });
  const { key, client } = await createApiKey({ kind: "WORKSPACE", workspaceId: w.id, name: "bench", hourlyCap: 1_000_000_000 });
  await setBudget(w.id, { scope: "api_key", api_key_id: client.id, period: "day", limit: keyBudget });
  await setBudget(w.id, { scope: "workspace", period: "month", limit: 2_000_000_000 });
  return { id: w.id, key };
}
