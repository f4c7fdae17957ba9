import { inject } from "vitest";

// Runs before each integration test file, before it imports the app's modules.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.TEST_MODE = "1";
process.env.DATABASE_POOL_SIZE = "8";
