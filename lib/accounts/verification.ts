import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { appUrl, env } from "@/lib/env";
import { now } from "@/lib/clock";
import { addCredits } from "@/lib/credits";
import { sendMail, type SentMail } from "@/lib/mail";
import { verifyEmailMail } from "@/lib/mail/templates";
import { consumeToken, issueToken, TOKEN_TTL_MS } from "@/lib/accounts/tokens";

/**
 * Email verification and the sign-up bonus. Sign-up makes the account and its Free workspace (with the
 * plan's allowance) and mails a link; following it verifies the address and grants the one-time BONUS
 * to the user's personal workspace. One bonus per verified address, ever: SignupBonusClaim is keyed by
 * the SHA-256 of the lower-cased address and outlives the account, so deleting the account and signing
 * up again verifies fine but earns nothing more.
 */

/** The key of an address in SignupBonusClaim and in the bonus grant's source: sha256(lower-cased email). */
export function emailKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

export function bonusSource(email: string): string {
  return `signup-bonus:${emailKey(email)}`;
}

/** Whether verifying this address would still earn the bonus (the configured amount; null = no bonus). */
export async function pendingBonus(email: string): Promise<number | null> {
  if (env.SIGNUP_BONUS_CREDITS <= 0) return null;
  const claimed = await db.signupBonusClaim.findUnique({ where: { emailHash: emailKey(email) }, select: { emailHash: true } });
  return claimed ? null : env.SIGNUP_BONUS_CREDITS;
}

/**
 * Mails a fresh verification link to an unverified user. Returns null (and sends nothing) when the user
 * is unknown, deleted or already verified. Older links stay valid until they expire.
 */
export async function sendVerificationMail(userId: string): Promise<SentMail | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerified: true, deletedAt: true } });
  if (!user || user.deletedAt || user.emailVerified) return null;
  const { token } = await issueToken(db, { userId: user.id, kind: "VERIFY_EMAIL" });
  const mail = verifyEmailMail({
    url: appUrl(`/verify-email/${token}`),
    bonusCredits: await pendingBonus(user.email),
    hours: TOKEN_TTL_MS.VERIFY_EMAIL / 3_600_000,
  });
  return sendMail({ kind: "verify_email", to: user.email, ...mail });
}

export type VerifyResult =
  { outcome: "verified"; userId: string; email: string; bonus: { workspaceId: string; credits: number } | null } | { outcome: "invalid" };

/**
 * Follows a verification link: uses the token, marks the address verified and, when this address has
 * never had it, grants the sign-up bonus to the user's personal workspace (their oldest owned one that
 * is open) — all in one transaction, so a failure leaves the link usable.
 *
 * Races: the token's single-use UPDATE lets one request through; the claim's primary key (an INSERT …
 * ON CONFLICT DO NOTHING) lets one account per address have the bonus even if two accounts with the same
 * address verify at once (only possible after a deletion); the grant's unique (workspace, source) and
 * the workspace lock taken by addCredits guard the ledger itself.
 */
export async function verifyEmail(token: string, at = now()): Promise<VerifyResult> {
  return db.$transaction(async (tx) => {
    const used = await consumeToken(tx, { token, kind: "VERIFY_EMAIL", at });
    if (!used) return { outcome: "invalid" } as const;
    const user = await tx.user.findUnique({
      where: { id: used.userId },
      select: { id: true, email: true, emailVerified: true, deletedAt: true },
    });
    if (!user || user.deletedAt) return { outcome: "invalid" } as const;
    if (!user.emailVerified) await tx.user.update({ where: { id: user.id }, data: { emailVerified: at } });

    if (env.SIGNUP_BONUS_CREDITS <= 0) return { outcome: "verified", userId: user.id, email: user.email, bonus: null } as const;
    const personal = await tx.membership.findFirst({
      where: { userId: user.id, role: "OWNER", workspace: { closedAt: null } },
      orderBy: { createdAt: "asc" },
      select: { workspaceId: true },
    });
    if (!personal) return { outcome: "verified", userId: user.id, email: user.email, bonus: null } as const;
    const claimed = await tx.signupBonusClaim.createManyAndReturn({
      data: [{ emailHash: emailKey(user.email), userId: user.id, workspaceId: personal.workspaceId, createdAt: at }],
      skipDuplicates: true,
      select: { emailHash: true },
    });
    if (claimed.length === 0) return { outcome: "verified", userId: user.id, email: user.email, bonus: null } as const;
    const granted = await addCredits(
      {
        workspaceId: personal.workspaceId,
        type: "BONUS",
        credits: env.SIGNUP_BONUS_CREDITS,
        expiresAt: null,
        source: bonusSource(user.email),
        at,
        actor: { userId: user.id },
        reason: "sign-up bonus (email verified)",
      },
      tx,
    );
    if (granted) await tx.signupBonusClaim.update({ where: { emailHash: emailKey(user.email) }, data: { grantId: granted.id } });
    return {
      outcome: "verified",
      userId: user.id,
      email: user.email,
      bonus: granted ? { workspaceId: personal.workspaceId, credits: env.SIGNUP_BONUS_CREDITS } : null,
    } as const;
  });
}

/** For the portal's notice: whether the user still has to verify, and what verifying would earn. */
export async function verificationStatus(userId: string): Promise<{ verified: boolean; email: string; bonus: number | null }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (user.emailVerified) return { verified: true, email: user.email, bonus: null };
  return { verified: false, email: user.email, bonus: await pendingBonus(user.email) };
}
