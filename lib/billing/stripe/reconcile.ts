import "server-only";
import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { stripe } from "@/lib/billing/stripe/client";
import { processStripeEvent } from "@/lib/billing/stripe/webhook";

/**
 * Reconciliation: a lost webhook never loses a purchase. Lists Stripe's events created since the cursor
 * (auto-paging), oldest first, and runs each one we have not processed through the webhook's own path
 * (processStripeEvent: the StripeEvent row makes it once-only, so events the webhook already handled are
 * skipped and a concurrent webhook delivery cannot double-process).
 *
 * The cursor (StripeEventCursor, per Stripe account) is the `created` second before which every event
 * was processed. Each run re-reads an overlap of OVERLAP_SECONDS before it, because events of the same
 * second, or ones written while the last run was listing, may appear late; the StripeEvent rows make
 * the overlap free. A failing event stops the cursor before it, so the next run retries it.
 * Run by `npm run stripe:reconcile` and daily by the jobs worker.
 */

const OVERLAP_SECONDS = 5 * 60;
/** Stripe keeps events for 30 days: the first run reads them all. */
const FIRST_RUN_LOOKBACK_SECONDS = 30 * 86_400;

export type ReconcileReport = {
  since: number;
  listed: number;
  alreadyProcessed: number;
  processed: { id: string; type: string; handled: boolean }[];
  failed: { id: string; type: string; error: string }[];
  cursor: number;
};

/** One cursor per Stripe account: a hash of the secret key names it (the key itself is never stored). */
function cursorId(): string {
  return `events:${createHash("sha256")
    .update(env.STRIPE_SECRET_KEY ?? "")
    .digest("hex")
    .slice(0, 16)}`;
}

export async function reconcileStripeEvents(options: { since?: number } = {}): Promise<ReconcileReport> {
  const id = cursorId();
  const cursor = await db.stripeEventCursor.findUnique({ where: { id } });
  const nowSeconds = Math.floor(now().getTime() / 1000);
  const since = options.since ?? (cursor ? Math.max(0, cursor.createdBefore - OVERLAP_SECONDS) : nowSeconds - FIRST_RUN_LOOKBACK_SECONDS);

  // Newest first from Stripe; processed oldest first, the order they happened in.
  const events: Stripe.Event[] = [];
  await stripe()
    .events.list({ created: { gte: since }, limit: 100 })
    .autoPagingEach((event) => {
      events.push(event);
    });
  events.reverse();

  const seen = new Set(
    (
      await db.stripeEvent.findMany({ where: { id: { in: events.map((e) => e.id) }, processedAt: { not: null } }, select: { id: true } })
    ).map((e) => e.id),
  );
  const report: ReconcileReport = {
    since,
    listed: events.length,
    alreadyProcessed: 0,
    processed: [],
    failed: [],
    cursor: cursor?.createdBefore ?? since,
  };
  let firstFailure: number | null = null;
  let newest = since;
  for (const event of events) {
    newest = Math.max(newest, event.created);
    if (seen.has(event.id)) {
      report.alreadyProcessed++;
      continue;
    }
    try {
      const result = await processStripeEvent(event);
      if (result.duplicate) report.alreadyProcessed++;
      else report.processed.push({ id: event.id, type: event.type, handled: result.handled });
    } catch (err) {
      report.failed.push({ id: event.id, type: event.type, error: err instanceof Error ? err.message : String(err) });
      firstFailure ??= event.created;
    }
  }
  // Everything before `createdBefore` is done: up to the first failure, else through the newest event.
  report.cursor = firstFailure ?? Math.max(events.length ? newest + 1 : since, cursor?.createdBefore ?? 0);
  const lastEventId = events.at(-1)?.id ?? cursor?.lastEventId ?? null;
  await db.stripeEventCursor.upsert({
    where: { id },
    create: { id, createdBefore: report.cursor, lastEventId, lastRunAt: now() },
    update: { createdBefore: report.cursor, lastEventId, lastRunAt: now() },
  });
  return report;
}

/** Human-readable lines for the CLI and the job log. */
export function describeReconcile(report: ReconcileReport): string[] {
  const lines = [
    `stripe:reconcile: ${report.listed} event(s) since ${new Date(report.since * 1000).toISOString()}; ${report.alreadyProcessed} already processed, ${report.processed.length} recovered, ${report.failed.length} failed`,
  ];
  for (const p of report.processed) lines.push(`  recovered ${p.id} ${p.type}${p.handled ? "" : " (no handler: acknowledged)"}`);
  for (const f of report.failed) lines.push(`  FAILED   ${f.id} ${f.type}: ${f.error}`);
  lines.push(`  cursor: events before ${new Date(report.cursor * 1000).toISOString()} are reconciled`);
  return lines;
}
