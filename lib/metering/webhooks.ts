import { createHmac, timingSafeEqual } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { authSecret, env } from "@/lib/env";
import { getEvent } from "@/lib/metering/usage";
import { isPublicAddress } from "@/lib/metering/webhook-url";

/**
 * Signed webhooks. The code that makes the news writes an outbox row (WebhookDelivery) in its own
 * transaction; this module delivers it to one of two targets:
 * - an API key: when a queued event is charged (credits arrived), the ledger announces it to the webhook
 *   URL of the key that queued the event:
 *     POST <url>   {"id", "type": "event.charged", "created", "data": <the event, as GET /api/v1/events/{id}>}
 * - a workspace: when a usage alert is recorded (lib/alerts), to the workspace's alert webhook URL:
 *     POST <url>   {"id", "type": "usage.threshold_crossed", "created", "data": <the payload frozen in the row>}
 *   and when an auto top-up charge is declined or fails (lib/billing/stripe/auto-top-up.ts), to the same URL:
 *     POST <url>   {"id", "type": "auto_top_up.failed", "created", "data": <the attempt, frozen in the row>}
 * Both carry
 *   Creditbook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the target's signing secret>
 * Non-2xx answers and timeouts are retried with exponential backoff (1, 2, 4 … minutes, 8 attempts).
 * Signing secrets are derived from the server secret and the key or workspace id, so nothing secret is
 * stored. The URL is read at delivery time: removed since, the row is settled without a request.
 * Where a webhook may go is lib/metering/webhook-url.ts; `postWebhook` enforces it on the addresses the
 * name resolves to, at the moment it connects.
 */
export const SIGNATURE_HEADER = "Creditbook-Signature";
const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 5_000;

/** http://localhost webhooks, and hosts that resolve to private addresses, are for development and tests only. */
export function allowLocalWebhooks(): boolean {
  return env.NODE_ENV !== "production";
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * dns.lookup that fails when the name resolves to any non-public address. Used as the socket's own
 * lookup, so the address checked is the address connected to: a name that changes its answer between a
 * check and the connection (DNS rebinding) cannot slip through.
 */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) {
      const error: NodeJS.ErrnoException = new Error(`refused: ${hostname} resolves to ${refused.address}, which is not a public address`);
      error.code = "EADDRNOTPUBLIC";
      return callback(error, []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * POSTs one webhook and resolves with the answer's status. Redirects are not followed (a 3xx is a
 * failure), the whole exchange times out, and outside development and tests only public addresses are
 * connected to (see publicOnlyLookup; an address literal in the URL goes through the same check).
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { timeoutMs?: number; allowLocal?: boolean } = {}): Promise<number> {
  const target = new URL(url);
  const allowLocal = options.allowLocal ?? allowLocalWebhooks();
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!allowLocal && /^[\d.]+$|:/.test(host) && !isPublicAddress(host)) {
    return Promise.reject(new Error(`refused: ${host} is not a public address`));
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
        ...(allowLocal ? {} : { lookup: publicOnlyLookup as unknown as typeof dnsLookup }),
      },
      (res) => {
        res.resume(); // the answer's body is not read: only its status counts
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("error", reject);
    req.end(body);
  });
}

export function signingSecret(apiClientId: string): string {
  return `whsec_${createHmac("sha256", authSecret()).update(`webhook:${apiClientId}`).digest("base64url")}`;
}

/** The secret that signs a workspace's own webhooks (usage alerts); shown to its owners. */
export function workspaceSigningSecret(workspaceId: string): string {
  return `whsec_${createHmac("sha256", authSecret()).update(`webhook:workspace:${workspaceId}`).digest("base64url")}`;
}

type ClaimedDelivery = { id: string; apiClientId: string | null; workspaceId: string | null; eventId: string; type: string; attempts: number; payload: unknown };

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

export function signPayload(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** For receivers (and tests): is this signature valid for the body, and recent (5 minutes)? */
export function verifySignature(secret: string, header: string, body: string, at: Date = new Date(), toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || !parts.v1 || Math.abs(at.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, t, body).split("v1=")[1]!, "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
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
        { "content-type": "application/json", [SIGNATURE_HEADER]: signPayload(target.secret, timestamp, body), "user-agent": "Creditbook-Webhooks/1" },
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
        data: { attempts: row.attempts + 1, lastError: error.slice(0, 500), nextAttemptAt: new Date(at.getTime() + 60_000 * 2 ** row.attempts) },
      });
    }
  }
  return { delivered, failed };
}
