import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { getEvent } from "@/lib/metering/usage";
import { postWebhook } from "@/lib/webhooks/send";
import { SIGNATURE_HEADER, signingSecret, signPayload, workspaceSigningSecret } from "@/lib/webhooks/signing";

/**
 * Signed webhooks. The code that makes the news writes an outbox row (WebhookDelivery) in its own
 * transaction; this module delivers it to one of two targets:
 * - an API key: when a queued event is charged (credits arrived), the ledger announces it to the webhook
 *   URL of the key that queued the event:
 *     POST <url>   {"id", "type": "event.charged", "created", "data": <the event, as GET /api/v1/events/{id}>}
 * - a workspace: when an alert on a limit fires or resolves (lib/alerts, docs/decisions/020-limit-alerts.md),
 *   to the workspace's alert webhook URL:
 *     POST <url>   {"id", "type": "limit_reached" | "limit_resolved", "created", "data": <the payload frozen in the row>}
 *   (an allowance alert that fires also sends the older "usage.threshold_crossed"),
 *   and when an auto top-up charge is declined or fails (lib/billing/stripe/auto-top-up/), to the same URL:
 *     POST <url>   {"id", "type": "auto_top_up.failed", "created", "data": <the attempt, frozen in the row>}
 * Both carry
 *   Creditbook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the target's signing secret>
 * Non-2xx answers and timeouts are retried with exponential backoff (1, 2, 4 … minutes, 8 attempts).
 * Signing secrets are derived from the server secret and the key or workspace id, so nothing secret is
 * stored. The URL is read at delivery time: removed since, the row is settled without a request.
 * Where a webhook may go is lib/webhooks/url.ts; `postWebhook` (lib/webhooks/send.ts) enforces it on the
 * addresses the name resolves to, at the moment it connects. Signatures: lib/webhooks/signing.ts.
 */
const MAX_ATTEMPTS = 8;

type ClaimedDelivery = {
  id: string;
  apiClientId: string | null;
  workspaceId: string | null;
  eventId: string;
  type: string;
  attempts: number;
  payload: unknown;
};

/** Where a delivery goes and what it says; null when its target has no URL any more. */
async function resolveDelivery(row: ClaimedDelivery): Promise<{ url: string; secret: string; data: unknown } | null> {
  if (row.apiClientId) {
    const client = await db.apiClient.findUnique({ where: { id: row.apiClientId }, select: { webhookUrl: true, revokedAt: true } });
    if (!client?.webhookUrl || client.revokedAt) return null;
    let data = row.payload;
    if (data === null) {
      const event = await db.usageEvent.findUniqueOrThrow({ where: { id: row.eventId }, select: { workspaceId: true } });
      data = await getEvent(event.workspaceId, row.eventId);
    }
    return { url: client.webhookUrl, secret: signingSecret(row.apiClientId), data };
  }
  if (row.workspaceId) {
    const workspace = await db.workspace.findUnique({ where: { id: row.workspaceId }, select: { alertWebhookUrl: true } });
    if (!workspace?.alertWebhookUrl) return null;
    return { url: workspace.alertWebhookUrl, secret: workspaceSigningSecret(row.workspaceId), data: row.payload };
  }
  return null;
}

/** Delivers due webhooks. Safe from several workers at once: rows are claimed with SKIP LOCKED. */
export async function deliverWebhooks(options: { at?: Date; limit?: number } = {}): Promise<{ delivered: number; failed: number }> {
  const at = options.at ?? now();
  // Claim due rows by pushing their next attempt out (a lease), so a crash mid-delivery retries later.
  const claimed = await db.$queryRaw<ClaimedDelivery[]>`
    UPDATE "WebhookDelivery" d SET "nextAttemptAt" = ${new Date(at.getTime() + 5 * 60_000)}
      FROM (SELECT id FROM "WebhookDelivery"
             WHERE "deliveredAt" IS NULL AND "nextAttemptAt" <= ${at} AND attempts < ${MAX_ATTEMPTS}
             ORDER BY "nextAttemptAt" LIMIT ${options.limit ?? 100} FOR UPDATE SKIP LOCKED) due
     WHERE d.id = due.id
 RETURNING d.id, d."apiClientId", d."workspaceId", d."eventId", d.type, d.attempts, d.payload`;
  let delivered = 0;
  let failed = 0;
  for (const row of claimed) {
    const target = await resolveDelivery(row);
    if (!target) {
      // Nobody to tell: settled without a request.
      await db.webhookDelivery.update({ where: { id: row.id }, data: { deliveredAt: at, lastError: "no webhook URL" } });
      continue;
    }
    const body = JSON.stringify({ id: row.id, type: row.type, created: Math.floor(at.getTime() / 1000), data: target.data });
    const timestamp = Math.floor(Date.now() / 1000);
    let error: string | null = null;
    try {
      const status = await postWebhook(
        target.url,
        {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: signPayload(target.secret, timestamp, body),
          "user-agent": "Creditbook-Webhooks/1",
        },
        body,
      );
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    if (error === null) {
      delivered++;
      await db.webhookDelivery.update({ where: { id: row.id }, data: { deliveredAt: at, attempts: row.attempts + 1, lastError: null } });
    } else {
      failed++;
      await db.webhookDelivery.update({
        where: { id: row.id },
        data: {
          attempts: row.attempts + 1,
          lastError: error.slice(0, 500),
          nextAttemptAt: new Date(at.getTime() + 60_000 * 2 ** row.attempts),
        },
      });
    }
  }
  return { delivered, failed };
}
