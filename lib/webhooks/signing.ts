import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/env";

/**
 * How Creditbook signs its webhooks (delivered by lib/jobs/webhooks.ts):
 *   Creditbook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the target's signing secret>
 * Signing secrets are derived from the server secret and the key or workspace id, so nothing secret is
 * stored.
 */
export const SIGNATURE_HEADER = "Creditbook-Signature";

export function signingSecret(apiClientId: string): string {
  return `whsec_${createHmac("sha256", authSecret()).update(`webhook:${apiClientId}`).digest("base64url")}`;
}

/** The secret that signs a workspace's own webhooks (usage alerts); shown to its owners. */
export function workspaceSigningSecret(workspaceId: string): string {
  return `whsec_${createHmac("sha256", authSecret()).update(`webhook:workspace:${workspaceId}`).digest("base64url")}`;
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
