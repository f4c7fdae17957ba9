import { afterAll, inject } from "vitest";

// Runs before each integration test file, before it imports the app's modules.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.TEST_MODE = "1";
process.env.DATABASE_POOL_SIZE = "8";

// Close the file's pool before the shared database is stopped at the end of the run.
afterAll(async () => {
  const { closeDb } = await import("@/lib/db");
  await closeDb();
});
