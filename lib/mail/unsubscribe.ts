import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { appUrl, authSecret } from "@/lib/env";

/**
 * Unsubscribing from the optional billing mail (usage notices) without signing in. The link names the
 * user and carries an HMAC-SHA-256 of their id under the server secret: nothing is stored, the link
 * never expires (unsubscribe links must keep working), and nobody can forge one for another user
 * without the secret. Rotating NEXTAUTH_SECRET invalidates old links; the setting in Settings → Account
 * always works.
 *
 * Opening the link changes nothing (mail scanners open links): the page asks for a click. The mail's
 * List-Unsubscribe-Post header lets mail clients unsubscribe in one POST (RFC 8058) to the API route.
 */
const PURPOSE = "creditbook:usage-mail-unsubscribe:v1";

export function unsubscribeToken(userId: string): string {
  return createHmac("sha256", authSecret()).update(`${PURPOSE}:${userId}`).digest("base64url");
}

export function validUnsubscribeToken(userId: string, token: string): boolean {
  if (!userId || !token) return false;
  const expected = Buffer.from(unsubscribeToken(userId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const query = (userId: string) => `u=${encodeURIComponent(userId)}&t=${unsubscribeToken(userId)}`;

/** The page a person opens from the mail (asks for a click). */
export function unsubscribePageUrl(userId: string): string {
  return appUrl(`/mail/unsubscribe?${query(userId)}`);
}

/** The one-click endpoint mail clients POST to (List-Unsubscribe with List-Unsubscribe-Post). */
export function unsubscribeEndpointUrl(userId: string): string {
  return appUrl(`/api/mail/unsubscribe?${query(userId)}`);
}

/** SMTP headers that let mail clients offer "Unsubscribe" (RFC 2369, RFC 8058 one-click). */
export function unsubscribeHeaders(userId: string): Record<string, string> {
  return { "List-Unsubscribe": `<${unsubscribeEndpointUrl(userId)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/** Turns the user's usage notices off (true) or on (false). Idempotent. */
export async function setUsageMailOptOut(userId: string, optOut: boolean): Promise<void> {
  await db.user.updateMany({
    where: { id: userId, ...(optOut ? { usageMailOptOutAt: null } : {}) },
    data: { usageMailOptOutAt: optOut ? now() : null },
  });
}

export async function usageMailOptedOut(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { usageMailOptOutAt: true } });
  return Boolean(user?.usageMailOptOutAt);
}

/** The link's action: false when the token does not match (nothing changes). */
export async function unsubscribeWithToken(userId: string, token: string): Promise<boolean> {
  if (!validUnsubscribeToken(userId, token)) return false;
  await setUsageMailOptOut(userId, true);
  return true;
}

/**
 * POST /api/mail/unsubscribe?u=…&t=… — the one-click unsubscribe of RFC 8058, sent by mail clients
 * (List-Unsubscribe-Post). No cookies, no Origin check (proxy.ts exempts it): the signed link is the
 * authority. 200 when done (or already done), 400 when the link is not valid.
 */
export async function handleOneClickUnsubscribe(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const ok = await unsubscribeWithToken((url.searchParams.get("u") ?? "").slice(0, 200), (url.searchParams.get("t") ?? "").slice(0, 200));
  if (!ok)
    return Response.json(
      { error: { code: "invalid_request", message: "This unsubscribe link is not valid.", retryable: false } },
      { status: 400 },
    );
  return Response.json({ unsubscribed: true });
}
