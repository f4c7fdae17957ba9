// Runs once when a Next.js server starts. With JOBS_IN_PROCESS=1 the app also runs the background jobs
// (see lib/jobs); production setups may prefer a separate `npm run jobs` process.
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next.js itself, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  if (!env.JOBS_IN_PROCESS) return;
  const { startJobs } = await import("@/lib/jobs");
  const { onShutdown } = await import("@/lib/lifecycle");
  const boss = await startJobs();
  // Graceful shutdown (scripts/server.mjs) lets running jobs finish before the pool closes.
  onShutdown("jobs", "work", () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }));
  console.log("[jobs] running in-process: credits-sweep and auto-top-up every minute, stripe-reconcile daily");
}
