import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl, env } from "@/lib/env";
import { onShutdown } from "@/lib/lifecycle";

export type Db = InstanceType<typeof PrismaClient>;
/** A Prisma transaction client: what lib functions take when they must run inside a caller's transaction. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * A timestamp(3) parameter for plain `pg` queries: columns hold UTC wall time (as Prisma writes
 * DateTime), so send exactly that, never the driver's local-time rendering of a Date.
 */
export function utcTimestamp(d: Date): string {
  const iso = d.toISOString();
  // "2026-12-07T18:21:30.123Z" → "2026-12-07 18:21:30.123" by slicing (three per debit); other years'
  // longer forms (±YYYYYY) by replacing, as always.
  return iso.length === 24 ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso.replace("T", " ").replace("Z", "");
}

/** A Prisma client over a `pg` pool of its own (tools and tests that need a second database). */
export function createDb(url: string, poolSize = env.DATABASE_POOL_SIZE): Db {
  return new PrismaClient({ adapter: new PrismaPg(createPool(url, poolSize), { disposeExternalPool: true }) });
}

function createPool(url: string, poolSize: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
  // replaces it on next use, and /api/health reports the database down meanwhile.
  pool.on("error", (err) => console.error("[db] idle connection lost:", err.message));
  return pool;
}

// One pool per process, created on first use (next build imports modules without a database) and kept
// on globalThis so dev hot reloads and separately bundled routes share it. Prisma runs on it, and so
// does the ledger's hot path (lib/credits/charge.ts), which calls one SQL function with plain `pg`.
const holder = globalThis as unknown as { __creditbookPool?: pg.Pool; __creditbookHotPool?: pg.Pool; __creditbookDb?: Db };

/** The metering hot path's bounds: a lock wait or a statement longer than these is cut short (503 overloaded). */
export const HOT_LOCK_TIMEOUT_MS = 2_000;
export const HOT_STATEMENT_TIMEOUT_MS = 5_000;

/**
 * A pool for the metering hot path (lib/metering/hot-path.ts): one call per action, so its connections
 * are never held across round trips. lock_timeout and statement_timeout are set on each connection, and
 * a caller waits at most `waitMs` for a connection (then 503 overloaded), never the 5 s of the main pool.
 */
export function createHotPool(url: string, options: { size: number; waitMs: number }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.size,
    connectionTimeoutMillis: options.waitMs,
    lock_timeout: HOT_LOCK_TIMEOUT_MS,
    statement_timeout: HOT_STATEMENT_TIMEOUT_MS,
  });
  pool.on("error", (err) => console.error("[db] idle hot-path connection lost:", err.message));
  return pool;
}

export function getHotPool(): pg.Pool {
  if (!holder.__creditbookHotPool) {
    holder.__creditbookHotPool = createHotPool(databaseUrl(), { size: env.DATABASE_HOT_POOL_SIZE, waitMs: env.DATABASE_HOT_WAIT_MS });
    onShutdown("database (hot path)", "connections", async () => {
      await holder.__creditbookHotPool?.end();
      holder.__creditbookHotPool = undefined;
    });
  }
  return holder.__creditbookHotPool;
}

export function getPool(): pg.Pool {
  if (!holder.__creditbookPool) {
    holder.__creditbookPool = createPool(databaseUrl(), env.DATABASE_POOL_SIZE);
    onShutdown("database", "connections", closeDb);
  }
  return holder.__creditbookPool;
}

export function getDb(): Db {
  holder.__creditbookDb ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return holder.__creditbookDb;
}

/** The Prisma client. Property access creates it lazily. */
export const db: Db = new Proxy({} as Db, {
  get(_target, key) {
    const client = getDb();
    const value = Reflect.get(client, key, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** Closes the shared client and pool (scripts and tests, before they stop their database). */
export async function closeDb(): Promise<void> {
  await holder.__creditbookDb?.$disconnect();
  await holder.__creditbookPool?.end();
  await holder.__creditbookHotPool?.end();
  holder.__creditbookDb = undefined;
  holder.__creditbookPool = undefined;
  holder.__creditbookHotPool = undefined;
}
