import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl, env } from "@/lib/env";

export type Db = InstanceType<typeof PrismaClient>;
/** A Prisma transaction client: what lib functions take when they must run inside a caller's transaction. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(url: string, poolSize = env.DATABASE_POOL_SIZE): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

// One client per process, created on first use (next build imports modules without a database) and
// kept on globalThis so dev hot reloads and separately bundled routes share one pool.
const holder = globalThis as unknown as { __creditbookDb?: Db };

export function getDb(): Db {
  holder.__creditbookDb ??= createDb(databaseUrl());
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
