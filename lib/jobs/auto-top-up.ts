import { processAutoTopUps } from "@/lib/billing/stripe/auto-top-up";
import { deliverWebhooks } from "@/lib/jobs/webhooks";

/**
 * One run of the auto top-up job: charge the pending attempts, then deliver the "auto_top_up.failed"
 * webhooks of any decline at once. The jobs worker runs it (lib/jobs); so does the e2e test route.
 */
export async function runAutoTopUps(options: { workspaceIds?: string[] } = {}) {
  const run = await processAutoTopUps(options);
  const webhooks = run.declined + run.failed > 0 ? await deliverWebhooks() : { delivered: 0, failed: 0 };
  return { ...run, webhooks };
}
