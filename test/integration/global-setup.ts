import fs from "node:fs";
import type { TestProject } from "vitest/node";
import { startPostgres } from "../../scripts/pg.mjs";
import { migrate } from "../../lib/db/migrate";
import { startStripeEmulator } from "../../scripts/stripe-emulator/index";
import { startX402Facilitator } from "../../scripts/x402-facilitator/index";
import { STRIPE_TEST_WEBHOOK_SECRET } from "./stripe-support";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    stripeApiBase: string;
    x402FacilitatorUrl: string;
  }
}

/**
 * One real PostgreSQL for the integration run (a fresh data folder each time), migrated and seeded
 * with the catalogue, and one local Stripe emulator. Tests isolate themselves by creating their own
 * users and workspaces; each test file has its own Stripe account (its own secret key, see setup.ts).
 * And one local x402 facilitator (payments are made by fresh random wallets, so files never collide).
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
  const emulator = await startStripeEmulator({ port: 0, webhookSecret: STRIPE_TEST_WEBHOOK_SECRET, retryBaseMs: 100, quiet: true });
  project.provide("stripeApiBase", emulator.url);
  const facilitator = await startX402Facilitator({ port: 0, quiet: true });
  project.provide("x402FacilitatorUrl", facilitator.url);
  return async () => {
    await facilitator.close();
    await emulator.close();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
