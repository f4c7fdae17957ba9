import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/auth/password";
import { createWorkspace } from "@/lib/workspaces/create";
import { sendVerificationMail } from "@/lib/accounts/verification";
import { hitRateLimit } from "@/lib/rate-limit";
import { sendMail } from "@/lib/mail";
import { signUpAttemptMail } from "@/lib/mail/templates";
import { appUrl } from "@/lib/env";

export type NewAccount = { name: string; email: string; password: string };

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/**
 * Creates a user with a personal Free workspace and its allowance, in one transaction, then mails the
 * verification link (the sign-up bonus is granted when it is followed: lib/accounts/verification.ts).
 * Two identical sign-ups at once: the unique email lets one commit; the other rolls back entirely and
 * gets `email_taken`. `verified: true` (operators made from the command line, the demo) skips the mail
 * and marks the address verified — without a bonus.
 */
export async function createAccount(
  input: NewAccount,
  options: { verified?: boolean } = {},
): Promise<{ userId: string; workspaceId: string }> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const at = now();
  try {
    const account = await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, name: input.name || null, passwordHash, createdAt: at, emailVerified: options.verified ? at : null },
        select: { id: true },
      });
      const label = input.name || email.split("@")[0] || "My";
      const workspace = await createWorkspace(tx, { name: `${label}'s workspace`, ownerUserId: user.id, signupBonus: false, at });
      return { userId: user.id, workspaceId: workspace.id };
    });
    // After the commit, outside the transaction: the mail is recorded in the outbox whatever SMTP says,
    // and a failed send never undoes the account (the portal offers to resend).
    if (!options.verified) {
      await sendVerificationMail(account.userId).catch((err: unknown) =>
        console.error(`[signup] verification mail for ${account.userId} failed:`, err),
      );
    }
    return account;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError("email_taken", "An account with this email already exists.", {
        nextStep: "Sign in instead.",
        details: { field: "email" },
      });
    }
    throw err;
  }
}

/** "Someone tried to sign up as you" mails per address and hour: the form must not become a way to flood an inbox. */
const ATTEMPT_MAILS_PER_HOUR = 3;

/**
 * The sign-up form's one answer for any well-formed address: a new address gets its account (and the
 * verification mail); an address that has an account already gets a mail telling its owner, at most
 * ATTEMPT_MAILS_PER_HOUR an hour, and nothing else changes. The caller cannot tell which happened, so
 * the form cannot be used to learn who has an account. Both paths hash the password first, so they
 * take about as long.
 */
export async function signUp(input: NewAccount): Promise<void> {
  try {
    await createAccount(input);
    return;
  } catch (err) {
    if (!(err instanceof AppError && err.code === "email_taken")) throw err;
  }
  const email = input.email.trim().toLowerCase();
  const limit = await hitRateLimit(`signup-attempt:email:${email}`, ATTEMPT_MAILS_PER_HOUR, 60 * 60 * 1000, now());
  if (!limit.allowed) return;
  await sendMail({
    to: email,
    kind: "signup_attempt",
    ...signUpAttemptMail({ signInUrl: appUrl("/login"), resetUrl: appUrl("/forgot-password") }),
  });
}
