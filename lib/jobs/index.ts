import "server-only";
import PgBoss from "pg-boss";
import { databaseUrl } from "@/lib/env";
import { sweepCredits } from "@/lib/credits";
import { deliverWebhooks } from "@/lib/jobs/webhooks";
import { sweepUsageAlerts } from "@/lib/alerts/usage-alerts";
import { paymentsConfigured } from "@/lib/billing/stripe/client";
import { cancelLapsedSubscriptions } from "@/lib/billing/stripe/subscriptions";
import { runAutoTopUps } from "@/lib/jobs/auto-top-up";
import { describeReconcile, reconcileStripeEvents } from "@/lib/billing/stripe/reconcile";
import { summarizeUsageTimeIndex } from "@/lib/admin/overview";
import { deleteExpiredRateLimits } from "@/lib/rate-limit";
import { deleteExpiredRevocations } from "@/lib/auth/session-revocation";
import { recoverSettledPayments } from "@/lib/x402/recovery";
import pg from "pg";

/**
 * Background work on pg-boss (a job queue in the same PostgreSQL: no Redis, survives restarts, one
 * schedule across any number of instances). Jobs:
 *   credits-sweep — every minute: period rollover, expiry, expired holds, queued work at reset, then usage
 *                   alerts for workspaces whose ledger moved (lib/alerts), then the signed webhooks for
 *                   queued events that were charged and alerts that were recorded (lib/jobs/webhooks.ts),
 *                   then the Stripe subscriptions of plans that lapsed after 30 days past due are cancelled,
 *                   then the usage events' time index gets summaries for its new ranges (the console's
 *                   overview reads today's events through it), then x402 pack payments that settled on
 *                   chain but were not recorded are recorded again, exactly once (lib/x402/recovery.ts).
 *   auto-top-up   — every minute, and at once when credits_charge records a threshold crossing (it sends
 *                   NOTIFY auto_top_up on commit; the worker LISTENs and queues a run): charges the PENDING
 *                   auto top-up attempts off-session (lib/billing/stripe/auto-top-up/), then delivers the
 *                   "auto_top_up.failed" webhooks of declines.
 *   stripe-reconcile — daily at 03:15 UTC: processes Stripe events the webhook missed (reconcile.ts).
 * Run it as its own process (`npm run jobs`) or inside the app (JOBS_IN_PROCESS=1, as the demo does).
 */
export const JOBS = { creditsSweep: "credits-sweep", autoTopUp: "auto-top-up", stripeReconcile: "stripe-reconcile" } as const;

/**
 * How long a job may stay active before pg-boss takes it back, and how often it looks. A job left active
 * by a worker that died (kill -9, OOM, a lost host) holds its singleton queue until then: with pg-boss's
 * default of 15 minutes, no sweep and no auto top-up ran for a quarter of an hour after a crash (found by
 * `npm run verify`, scenario 10). Both jobs are safe to run twice at once (each workspace in its own
 * transaction under its lock; attempts claimed with a lease), so a long run that outlives its lease only
 * lets the next one start beside it.
 */
export const JOB_LEASE_SECONDS = 60;
const MAINTENANCE_INTERVAL_SECONDS = 20;

/** Creates the queue, or brings an existing one (made before the lease was set) to these settings. */
async function singletonQueue(boss: PgBoss, name: string): Promise<void> {
  const options = { name, policy: "singleton" as const, expireInSeconds: JOB_LEASE_SECONDS };
  await boss.createQueue(name, options);
  await boss.updateQueue(name, options);
}

export async function startJobs(options: { schedule?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl(),
    schema: "pgboss",
    max: 4,
    application_name: "creditbook-jobs",
    maintenanceIntervalSeconds: MAINTENANCE_INTERVAL_SECONDS,
  });
  boss.on("error", (err) => console.error("[jobs]", err));
  await boss.start();
  await singletonQueue(boss, JOBS.creditsSweep);
  if (options.schedule !== false) await boss.schedule(JOBS.creditsSweep, "* * * * *", {}, { tz: "UTC" });
  await boss.work(JOBS.creditsSweep, async () => {
    const { workspaces } = await sweepCredits();
    if (workspaces > 0) console.log(`[jobs] credits-sweep: maintained ${workspaces} workspace(s)`);
    // Thresholds crossed by usage nobody looked at in the portal: recorded, their webhooks queued.
    try {
      const alerts = await sweepUsageAlerts();
      if (alerts.recorded > 0) console.log(`[jobs] usage alerts: ${alerts.recorded} recorded`);
    } catch (err) {
      // The cursor did not move: the next run reads the same ledger range again. Webhooks still go out.
      console.error("[jobs] usage alerts failed:", err);
    }
    // Queued events the sweep (or any request since) charged, alerts just recorded: tell their URLs.
    const { delivered, failed } = await deliverWebhooks();
    if (delivered + failed > 0) console.log(`[jobs] webhooks: ${delivered} delivered, ${failed} to retry`);
    if (paymentsConfigured()) {
      const lapsed = await cancelLapsedSubscriptions();
      if (lapsed > 0) console.log(`[jobs] stripe: cancelled ${lapsed} lapsed subscription(s)`);
    }
    await summarizeUsageTimeIndex();
    // Bookkeeping that would otherwise grow for ever: rate-limit windows long over, revoked sessions run out.
    const [windows, revocations] = await Promise.all([deleteExpiredRateLimits(), deleteExpiredRevocations()]);
    if (windows + revocations > 0) console.log(`[jobs] expired: ${windows} rate-limit window(s), ${revocations} revoked session(s)`);
    // Recorded from the database alone (no facilitator call), so it runs whether or not x402 is on now.
    const x402 = await recoverSettledPayments();
    if (x402.recorded + x402.failed > 0) console.log(`[jobs] x402: ${x402.recorded} settled payment(s) recorded, ${x402.failed} to retry`);
  });
  if (paymentsConfigured()) {
    // singletonKey: a burst of crossings queues one run, not one per crossing.
    await singletonQueue(boss, JOBS.autoTopUp);
    await boss.createQueue(JOBS.stripeReconcile, { name: JOBS.stripeReconcile, policy: "singleton" });
    if (options.schedule !== false) {
      await boss.schedule(JOBS.autoTopUp, "* * * * *", {}, { tz: "UTC" });
      await boss.schedule(JOBS.stripeReconcile, "15 3 * * *", {}, { tz: "UTC" });
    }
    await boss.work(JOBS.autoTopUp, async () => {
      const run = await runAutoTopUps();
      const total = run.charged + run.declined + run.skipped + run.failed + run.retrying;
      if (total > 0)
        console.log(
          `[jobs] auto top-up: ${run.charged} charged, ${run.declined} declined, ${run.skipped} skipped, ${run.failed} failed, ${run.retrying} to retry`,
        );
    });
    await boss.work(JOBS.stripeReconcile, async () => {
      for (const line of describeReconcile(await reconcileStripeEvents())) console.log(`[jobs] ${line}`);
    });
    await listenForCrossings(boss);
  }
  return boss;
}

/** Wakes the auto top-up job when a debit records a crossing (credits_charge: pg_notify on commit). */
async function listenForCrossings(boss: PgBoss): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(), application_name: "creditbook-jobs-listen" });
  client.on("error", (err) => console.error("[jobs] listen:", err.message)); // the minute schedule still runs
  client.on("notification", () => {
    void boss
      .send(JOBS.autoTopUp, {}, { singletonKey: "auto-top-up" })
      .catch((err: unknown) => console.error("[jobs] auto top-up send:", err));
  });
  await client.connect();
  await client.query("LISTEN auto_top_up");
  boss.on("stopped", () => void client.end().catch(() => undefined));
}
