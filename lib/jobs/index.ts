import PgBoss from "pg-boss";
import { databaseUrl } from "@/lib/env";
import { sweepCredits } from "@/lib/credits/sweep";
import { deliverWebhooks } from "@/lib/metering/webhooks";
import { sweepUsageAlerts } from "@/lib/alerts/usage-alerts";
import { paymentsConfigured } from "@/lib/billing/stripe/client";
import { cancelLapsedSubscriptions } from "@/lib/billing/stripe/subscriptions";

/**
 * Background work on pg-boss (a job queue in the same PostgreSQL: no Redis, survives restarts, one
 * schedule across any number of instances). Jobs:
 *   credits-sweep — every minute: period rollover, expiry, expired holds, queued work at reset, then usage
 *                   alerts for workspaces whose ledger moved (lib/alerts), then the signed webhooks for
 *                   queued events that were charged and alerts that were recorded (lib/metering/webhooks),
 *                   then the Stripe subscriptions of plans that lapsed after 30 days past due are cancelled.
 * Run it as its own process (`npm run jobs`) or inside the app (JOBS_IN_PROCESS=1, as the demo does).
 */
export const JOBS = { creditsSweep: "credits-sweep" } as const;

export async function startJobs(options: { schedule?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl(), schema: "pgboss", max: 4, application_name: "creditbook-jobs" });
  boss.on("error", (err) => console.error("[jobs]", err));
  await boss.start();
  await boss.createQueue(JOBS.creditsSweep, { name: JOBS.creditsSweep, policy: "singleton" });
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
  });
  return boss;
}
