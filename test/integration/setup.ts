import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { STRIPE_TEST_WEBHOOK_SECRET } from "./stripe-support";

// Runs before each integration test file, before it imports the app's modules.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.TEST_MODE = "1";
process.env.DATABASE_POOL_SIZE = "8";
// The local Stripe emulator; a secret key of its own makes each test file a separate Stripe account.
process.env.STRIPE_API_BASE = inject("stripeApiBase");
process.env.STRIPE_SECRET_KEY = `sk_test_${randomBytes(12).toString("hex")}`;
process.env.STRIPE_WEBHOOK_SECRET = STRIPE_TEST_WEBHOOK_SECRET;

// Close the file's pool before the shared database is stopped at the end of the run.
afterAll(async () => {
  const { closeDb } = await import("@/lib/db");
  await closeDb();
});
