import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createAccount } from "@/lib/accounts/signup";
import { emailSchema, newPasswordSchema } from "@/lib/auth/schemas";

export type OperatorResult =
  | { outcome: "created"; userId: string; email: string; password: string; generated: boolean }
  | { outcome: "promoted"; userId: string; email: string; createdAt: Date }
  | { outcome: "unchanged"; userId: string; email: string };

/** A random password for a new operator, printed once: 24 URL-safe characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * Makes `email` a platform operator (User.isAdmin). An existing user is promoted and keeps their password;
 * a new one is created like a sign-up (personal Free workspace, so the portal works for them too) with
 * the given password or a generated one (a verification mail goes out as for any sign-up, unless
 * `verified`). Idempotent: an operator stays as they are.
 */
export async function ensureOperator(input: {
  email: string;
  password?: string | null;
  name?: string;
  verified?: boolean;
}): Promise<OperatorResult> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success)
    throw new AppError("invalid_request", email.error.issues[0]?.message ?? "Enter a valid email address.", {
      details: { field: "email" },
    });
  if (input.password != null) {
    const password = newPasswordSchema.safeParse(input.password);
    if (!password.success)
      throw new AppError("invalid_request", password.error.issues[0]?.message ?? "Choose a longer password.", {
        details: { field: "password" },
      });
  }
  const existing = await db.user.findUnique({ where: { email: email.data }, select: { id: true, isAdmin: true, createdAt: true } });
  if (existing) {
    if (existing.isAdmin) return { outcome: "unchanged", userId: existing.id, email: email.data };
    // updateMany with isAdmin: false: two concurrent runs promote once, and neither fails.
    await db.user.updateMany({ where: { id: existing.id, isAdmin: false }, data: { isAdmin: true } });
    return { outcome: "promoted", userId: existing.id, email: email.data, createdAt: existing.createdAt };
  }
  const password = input.password ?? generatePassword();
  // A sign-up of the same email in between makes this fail with email_taken (never promotes an account
  // whose password someone else just chose); running again then promotes it, as for any existing user.
  const { userId } = await createAccount({ name: input.name ?? "", email: email.data, password }, { verified: input.verified ?? false });
  await db.user.update({ where: { id: userId }, data: { isAdmin: true } });
  return { outcome: "created", userId, email: email.data, password, generated: input.password == null };
}
