// The primary process of `npm start` when WEB_CONCURRENCY > 1 (scripts/server.mjs): it forks that many
// workers, each a whole server (scripts/server.mjs again, with its own database pools), which share the
// listening port (node:cluster hands connections out round-robin). It serves nothing itself.
// - A worker that dies while the server is up is replaced; if workers keep dying (more than three per
//   worker within a minute) the primary gives up and exits 1, so a supervisor notices.
// - SIGTERM / SIGINT: every worker is told SIGTERM and drains as a single server does (scripts/server.mjs);
//   the primary exits 0 once all have exited 0, or 1 if one failed or outlived SHUTDOWN_TIMEOUT_MS + 15 s.
// docs/decisions/011-running-in-production.md has the pool arithmetic for workers × instances.
import cluster from "node:cluster";

const CRASH_WINDOW_MS = 60_000;
const RESPAWN_DELAY_MS = 500;
const STOP_GRACE_MS = 15_000;

/**
 * @param {{ workers: number, log: import("pino").Logger, shutdownTimeoutMs: number }} options
 */
export function runPrimary({ workers, log, shutdownTimeoutMs }) {
  let stopping = false;
  let failed = false;
  /** @type {number[]} */
  let crashes = [];
  // Each worker is told how many there are (WEB_CONCURRENCY, also when it was left to the core count):
  // the metering hot path shares its round trips between them (lib/metering/hot-path.ts tripSlots).
  const fork = () => cluster.fork({ WEB_CONCURRENCY: String(workers) });

  const live = () => Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (code !== 0) failed = true;
      log.info({ worker_pid: worker.process.pid, code, signal }, "worker stopped");
      if (live().length === 0) {
        log.info({ failed }, "all workers stopped");
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    const at = Date.now();
    crashes = [...crashes.filter((t) => at - t < CRASH_WINDOW_MS), at];
    if (crashes.length > workers * 3) {
      log.error({ crashes: crashes.length, window_ms: CRASH_WINDOW_MS }, "workers keep exiting; stopping");
      failed = true;
      stop("crash loop");
      return;
    }
    log.error({ worker_pid: worker.process.pid, code, signal }, "worker exited; starting another");
    setTimeout(() => {
      if (!stopping) fork();
    }, RESPAWN_DELAY_MS).unref();
  });

  function stop(reason) {
    if (stopping) return;
    stopping = true;
    const remaining = live();
    log.info({ reason, workers: remaining.length }, "draining workers");
    if (remaining.length === 0) process.exit(failed ? 1 : 0);
    for (const worker of remaining) worker.process.kill("SIGTERM");
    setTimeout(() => {
      const stuck = live();
      log.error({ workers: stuck.length }, "workers did not stop in time; killing them");
      for (const worker of stuck) worker.process.kill("SIGKILL");
      process.exit(1);
    }, shutdownTimeoutMs + STOP_GRACE_MS).unref();
  }
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => stop(signal));

  log.info({ workers, pid: process.pid }, "starting workers");
  for (let i = 0; i < workers; i++) fork();
}
