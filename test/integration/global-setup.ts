import fs from "node:fs";
import type { TestProject } from "vitest/node";
import { startPostgres } from "../../scripts/pg.mjs";
import { migrate } from "../../lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * One real PostgreSQL for the integration run (a fresh data folder each time), migrated and seeded
 * with the catalogue. Tests isolate themselves by creating their own users and workspaces.
 */
export default async function setup(project: TestProject) {
  // A data folder per run, so parallel runs (two checkouts, a developer and CI) never share one.
  const dir = `.data/test-pg-${process.pid}`;
  const pg = await startPostgres({ dir, port: 54340, fresh: true, quiet: true });
  await migrate(pg.url);
  process.env.DATABASE_URL = pg.url;
  const { seedCatalog } = await import("../../prisma/seed");
  const { closeDb } = await import("../../lib/db");
  await seedCatalog(new Date());
  await closeDb();
  project.provide("databaseUrl", pg.url);
  return async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
