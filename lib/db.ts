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
  return d.toISOString().replace("T", " ").replace("Z", "");
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
const holder = globalThis as unknown as { __creditbookPool?: pg.Pool; __creditbookDb?: Db };

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
  holder.__creditbookDb = undefined;
  holder.__creditbookPool = undefined;
}
