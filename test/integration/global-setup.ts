import { randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startPostgres } from "../../scripts/pg.mjs";
import { migrate } from "../../lib/db/migrate";
import { startStripeEmulator } from "../../scripts/stripe-emulator/index";
import { startX402Facilitator } from "../../scripts/x402-facilitator/index";
import { STRIPE_TEST_WEBHOOK_SECRET } from "./stripe-support";

const CONTRACT_DIR = ".reports/contract";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    stripeApiBase: string;
    x402FacilitatorUrl: string;
  }
}

/**
 * One real PostgreSQL for the integration run, migrated and seeded with the catalogue, and one local
 * Stripe emulator. Tests isolate themselves by creating their own users and workspaces; each test file
 * has its own Stripe account (its own secret key, see setup.ts). And one local x402 facilitator
 * (payments are made by fresh random wallets, so files never collide).
 *
 * Without DATABASE_URL: an embedded PostgreSQL in a fresh data folder. With DATABASE_URL (another
 * server, e.g. Debian's PostgreSQL 15 in `npm run verify`): a fresh database of its own on that server,
 * dropped at the end, so the run never touches the database the URL names.
 */
export default async function setup(project: TestProject) {
  fs.rmSync(CONTRACT_DIR, { recursive: true, force: true });
  const server = process.env.DATABASE_URL ? await databaseOnServer(process.env.DATABASE_URL) : await embeddedServer();
  await migrate(server.url);
  process.env.DATABASE_URL = server.url;
  const { seedCatalog } = await import("../../prisma/seed");
  const { closeDb } = await import("../../lib/db");
  await seedCatalog(new Date());
  await closeDb();
  project.provide("databaseUrl", server.url);
  const emulator = await startStripeEmulator({ port: 0, webhookSecret: STRIPE_TEST_WEBHOOK_SECRET, retryBaseMs: 100, quiet: true });
  project.provide("stripeApiBase", emulator.url);
  const facilitator = await startX402Facilitator({ port: 0, quiet: true });
  project.provide("x402FacilitatorUrl", facilitator.url);
  return async () => {
    printContractCount();
    await facilitator.close();
    await emulator.close();
    await server.stop();
  };
}

async function embeddedServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  // A data folder per run, so parallel runs (two checkouts, a developer and CI) never share one.
  const dir = `.data/test-pg-${process.pid}`;
  const pg = await startPostgres({ dir, port: 54340, fresh: true, quiet: true });
  return {
    url: pg.url,
    stop: async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function databaseOnServer(serverUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const name = `creditbook_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), stop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** The total of API responses checked against the OpenAPI document (contract.ts writes one file per test file). */
function printContractCount(): void {
  let checked = 0;
  let files = 0;
  for (const name of fs.existsSync(CONTRACT_DIR) ? fs.readdirSync(CONTRACT_DIR) : []) {
    checked += (JSON.parse(fs.readFileSync(`${CONTRACT_DIR}/${name}`, "utf8")) as { checked: number }).checked;
    files++;
  }
  console.log(`API contract: ${checked} responses validated against the OpenAPI document (${files} test files)`);
}
