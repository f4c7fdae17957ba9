// npm run jobs — the background worker (pg-boss): period rollover, hold expiry and queued work at reset.
// Needs DATABASE_URL. The demo runs the same jobs inside the app instead (JOBS_IN_PROCESS=1).
// Logs are JSON lines (pino), like the app's. SIGTERM lets running jobs finish, then closes the pool.
import { testClock } from "../lib/clock.ts";
import { closeDb } from "../lib/db.ts";
import { env } from "../lib/env.ts";
import { startJobs } from "../lib/jobs/index.ts";
import { bridgeConsole, logger } from "../lib/log.ts";

bridgeConsole();
const log = logger();
// Test mode only (lib/env refuses it otherwise): start ahead, as a worker started that much later would.
if (env.TEST_CLOCK_OFFSET_MS) log.info({ now: testClock.advance(env.TEST_CLOCK_OFFSET_MS).toISOString() }, "test clock moved ahead");
const boss = await startJobs();
log.info("jobs worker started: credits-sweep and auto-top-up every minute (auto top-ups at once on a crossing), stripe-reconcile daily");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    log.info({ signal }, "stopping: letting running jobs finish");
    await boss.stop({ graceful: true, wait: true });
    await closeDb();
    log.info("stopped");
    process.exit(0);
  });
}
