// npm run jobs — the background worker (pg-boss): period rollover, hold expiry and queued work at reset.
// Needs DATABASE_URL. The demo runs the same jobs inside the app instead (JOBS_IN_PROCESS=1).
import { startJobs } from "../lib/jobs/index.ts";

const boss = await startJobs();
console.log("[jobs] worker started: credits-sweep and auto-top-up every minute (auto top-ups at once on a crossing), stripe-reconcile daily. Ctrl-C to stop.");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await boss.stop({ graceful: true, wait: true });
    process.exit(0);
  });
}
