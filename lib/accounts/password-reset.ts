import "server-only";
import { db } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { now } from "@/lib/clock";
import { hitRateLimit } from "@/lib/rate-limit";
import { hashPassword } from "@/lib/auth/password";
import { ThrottledError } from "@/lib/auth/throttle";
import { sendMail } from "@/lib/mail";
import { resetPasswordMail } from "@/lib/mail/templates";
import { consumeToken, issueToken, TOKEN_TTL_MS } from "@/lib/accounts/tokens";

/**
 * "Forgot password?": a mailed single-use link (1 h) to choose a new password. The request answers the
 * same whether or not the address has an account (no account enumeration), and the mail itself is sent
 * after the answer (the page schedules deliverPasswordReset with next/server's after()), so its timing
 * tells nothing either.
 */
const WINDOW_MS = 15 * 60 * 1000;
/** Requests per IP (any address) and per address (any IP) in 15 minutes. */
export const RESET_LIMITS = { perIp: 20, perEmail: 3 } as const;

/** Counts a reset request from `ip`; throws ThrottledError when that network asks too often. */
export async function throttleResetRequest(ip: string, at = now()): Promise<void> {
  const byIp = await hitRateLimit(`reset:ip:${ip}`, RESET_LIMITS.perIp, WINDOW_MS, at);
  if (!byIp.allowed) throw new ThrottledError(byIp.resetAt);
}

export type ResetDelivery = "sent" | "unknown_email" | "throttled";

/**
 * Mails a reset link to `email` if it belongs to a live account, at most RESET_LIMITS.perEmail times in
 * 15 minutes (more would only flood someone's inbox). The outcome is for logs and tests, never for the
 * person asking.
 */
export async function deliverPasswordReset(email: string, at = now()): Promise<ResetDelivery> {
  const address = email.trim().toLowerCase();
  const byEmail = await hitRateLimit(`reset:email:${address}`, RESET_LIMITS.perEmail, WINDOW_MS, at);
  if (!byEmail.allowed) return "throttled";
  const user = await db.user.findUnique({ where: { email: address }, select: { id: true, deletedAt: true } });
  if (!user || user.deletedAt) return "unknown_email";
  const { token } = await issueToken(db, { userId: user.id, kind: "RESET_PASSWORD", at });
  await sendMail({
    kind: "reset_password",
    to: address,
    ...resetPasswordMail({ url: appUrl(`/reset-password/${token}`), minutes: TOKEN_TTL_MS.RESET_PASSWORD / 60_000 }),
  });
  return "sent";
}

/**
 * Sets a new password through a reset link. In one transaction: the token is used (once: see
 * consumeToken), the password hash replaced, every session of the user ended on every device (the
 * session version raised: lib/auth/session-revocation.ts), and the user's other reset links retired. Returns false when the link is unknown, used or expired.
 */
export async function resetPassword(input: {
  token: string;
  password: string;
  at?: Date;
}): Promise<{ userId: string; email: string } | null> {
  const passwordHash = await hashPassword(input.password); // ~50 ms: before the transaction, not inside it
  const at = input.at ?? now();
  return db.$transaction(async (tx) => {
    const used = await consumeToken(tx, { token: input.token, kind: "RESET_PASSWORD", at });
    if (!used) return null;
    const user = await tx.user.findUnique({ where: { id: used.userId }, select: { id: true, email: true, deletedAt: true } });
    if (!user || user.deletedAt) return null;
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: at, sessionVersion: { increment: 1 } } });
    await tx.accountToken.updateMany({ where: { userId: user.id, kind: "RESET_PASSWORD", usedAt: null }, data: { usedAt: at } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    return { userId: user.id, email: user.email };
  });
}
