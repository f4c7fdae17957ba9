import { randomBytes } from "node:crypto";
import { afterAll, afterEach, expect, inject } from "vitest";
import { STRIPE_TEST_WEBHOOK_SECRET } from "./stripe-support";

// Runs before each integration test file, before it imports the app's modules.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.TEST_MODE = "1";
process.env.DATABASE_POOL_SIZE = "8";
// The local Stripe emulator; a secret key of its own makes each test file a separate Stripe account.
process.env.STRIPE_API_BASE = inject("stripeApiBase");
process.env.STRIPE_SECRET_KEY = `sk_test_${randomBytes(12).toString("hex")}`;
process.env.STRIPE_WEBHOOK_SECRET = STRIPE_TEST_WEBHOOK_SECRET;
// x402 pay-per-call through the local facilitator, on Base Sepolia.
process.env.X402_FACILITATOR_URL = inject("x402FacilitatorUrl");
process.env.X402_NETWORK = "eip155:84532";
process.env.X402_PAY_TO = "0x00000000000000000000000000000000000B0b02";

// Every API response a test received must match the OpenAPI document (contract.ts): a mismatch fails that test.
afterEach(async () => {
  const { takeContractProblems } = await import("./contract");
  expect(takeContractProblems(), "API responses that do not match the OpenAPI document").toEqual([]);
});

// Close the file's pool before the shared database is stopped at the end of the run.
afterAll(async () => {
  const { writeContractCount } = await import("./contract");
  writeContractCount(expect.getState().testPath ?? "unknown");
  const { closeDb } = await import("@/lib/db");
  await closeDb();
});
