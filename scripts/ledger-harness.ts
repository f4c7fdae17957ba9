// Shared setup for the ledger scripts (npm run bench:ledger, npm run stress:ledger). Not a test.
//
// - Starts an embedded PostgreSQL of its own in .data/<name>-pg-<pid> when DATABASE_URL is unset (and
//   removes that folder at the end). With DATABASE_URL set it uses that database as it is: point it at a
//   throwaway database, since what the scripts create stays there (the ledger is append-only).
// - Sets DATABASE_URL, TEST_MODE=1 and DATABASE_POOL_SIZE *before* importing anything from lib/
//   (lib/env parses the environment once, lazily; the Prisma pool is sized from it on first use).
// - Migrates, seeds the catalogue, runs the script's main function, then always disconnects, stops
//   PostgreSQL and exits with main's exit code (1 on any uncaught error, 130 on Ctrl-C).
import fs from "node:fs";
import { startPostgres } from "./pg.mjs";
import type { Db } from "../lib/db.ts";

type CreditsModule = typeof import("../lib/credits/index.ts");
type ClockModule = typeof import("../lib/clock.ts");
type ErrorsModule = typeof import("../lib/errors.ts");

export type HarnessOptions = {
  /** Names the data folder: .data/<name>-pg-<pid>. */
  name: string;
  /** Preferred port of the embedded PostgreSQL (pg-server picks a free one when it is busy). */
  port: number;
  /** Prisma pool size (DATABASE_POOL_SIZE, 1–50). */
  poolSize: number;
};

export type Harness = {
  url: string;
  /** True when DATABASE_URL came from the environment (no PostgreSQL of our own). */
  external: boolean;
  db: Db;
  credits: CreditsModule;
  clock: ClockModule;
  errors: ErrorsModule;
  /** `count` new workspaces (no users), each made by createWorkspace in its own transaction. */
  createWorkspaces: (count: number, options?: CreateWorkspacesOptions) => Promise<string[]>;
  /** One PURCHASED grant per workspace through addCredits (source `<sourcePrefix>:<workspaceId>`). */
  giveCredits: (workspaceIds: string[], credits: number | ((index: number) => number), options?: GiveCreditsOptions) => Promise<void>;
};

export type CreateWorkspacesOptions = {
  namePrefix?: string;
  /** Plan per workspace index; "free" (100 a month) by default. */
  planId?: (index: number) => string;
  /** Creation instant (the period anchor); the clock's now by default. */
  at?: Date;
  /** Transactions in flight at once; the pool size by default. */
  concurrency?: number;
};

export type GiveCreditsOptions = { sourcePrefix?: string; at?: Date; concurrency?: number };

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Percentile (0–100) of already sorted numbers, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** A plain-text table: numeric columns right-aligned, the others left-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const numeric = header.map((_, c) => rows.every((r) => /^-?[\d.,]+$/.test(String(r[c] ?? "")) || r[c] === "NaN"));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/**
 * Sets up the database and runs `main`; never returns (exits the process with main's result).
 * `main` returns the exit code: 0 when every target or check passed.
 */
export async function runWithLedger(options: HarnessOptions, main: (h: Harness) => Promise<number>): Promise<never> {
  let pg: { url: string; stop: () => Promise<void> } | null = null;
  let dir: string | null = null;
  let db: Db | null = null;
  let cleaning: Promise<void> | null = null;

  // Each step on its own: a failing one (the db proxy throws synchronously when the configuration is
  // invalid) must not keep PostgreSQL running or its data folder on disk.
  const step = async (what: string, fn: () => Promise<unknown> | unknown) => {
    try {
      await fn();
    } catch (err) {
      console.error(`${what} failed:`, err);
    }
  };
  const cleanup = () =>
    (cleaning ??= (async () => {
      if (db) await step("closing the database pool", async () => (await import("../lib/db.ts")).closeDb());
      if (pg) await step("stopping PostgreSQL", () => pg?.stop());
      if (dir) await step(`removing ${dir}`, () => dir && fs.rmSync(dir, { recursive: true, force: true }));
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping …`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  let exitCode = 1;
  try {
    let url = process.env.DATABASE_URL;
    const external = Boolean(url);
    if (!url) {
      dir = `.data/${options.name}-pg-${process.pid}`;
      pg = await startPostgres({ dir, port: options.port, fresh: true, quiet: true });
      url = pg.url;
    }
    // Configuration first, imports from lib/ second.
    process.env.DATABASE_URL = url;
    process.env.TEST_MODE = "1";
    process.env.DATABASE_POOL_SIZE = String(options.poolSize);

    (await import("../lib/env.ts")).loadEnv(); // fail here, once and clearly, on an invalid configuration
    const { migrate } = await import("../lib/db/migrate.ts");
    await migrate(url);
    const dbModule = await import("../lib/db.ts");
    db = dbModule.db;
    const credits = await import("../lib/credits/index.ts");
    const clock = await import("../lib/clock.ts");
    const errors = await import("../lib/errors.ts");
    const { createWorkspace } = await import("../lib/workspaces/create.ts");
    const { seedCatalog } = await import("../prisma/seed.ts");
    await seedCatalog(clock.now());

    const client = db;
    const harness: Harness = {
      url,
      external,
      db: client,
      credits,
      clock,
      errors,
      createWorkspaces: async (count, o = {}) => {
        const at = o.at ?? clock.now();
        const prefix = o.namePrefix ?? options.name;
        const made = await mapLimit(
          Array.from({ length: count }, (_, i) => i),
          o.concurrency ?? options.poolSize,
          (i) => client.$transaction((tx) => createWorkspace(tx, { name: `${prefix} ${i + 1}`, planId: o.planId?.(i) ?? "free", at })),
        );
        return made.map((w) => w.id);
      },
      giveCredits: async (workspaceIds, amount, o = {}) => {
        const prefix = o.sourcePrefix ?? `${options.name}-setup`;
        await mapLimit(workspaceIds, o.concurrency ?? options.poolSize, async (workspaceId, i) => {
          const grantCredits = typeof amount === "number" ? amount : amount(i);
          if (grantCredits <= 0) return;
          const source = `${prefix}:${workspaceId}`;
          const created = await credits.addCredits({
            workspaceId,
            type: "PURCHASED",
            credits: grantCredits,
            expiresAt: null,
            source,
            reason: `${options.name} setup`,
            ...(o.at ? { at: o.at } : {}),
          });
          if (!created) throw new Error(`credits for ${workspaceId} were already granted (source ${source})`);
        });
      },
    };

    exitCode = await main(harness);
  } catch (err) {
    console.error(err);
    exitCode = 1;
  } finally {
    await cleanup();
  }
  process.exit(exitCode);
}
