import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/auth/password";
import { createWorkspace } from "@/lib/workspaces/create";

export type NewAccount = { name: string; email: string; password: string };

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/**
 * Creates a user with a personal Free workspace, its allowance and the sign-up bonus, in one
 * transaction. Two identical sign-ups at once: the unique email lets one commit; the other rolls
 * back entirely and gets `email_taken`.
 */
export async function createAccount(input: NewAccount): Promise<{ userId: string; workspaceId: string }> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const at = now();
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, name: input.name || null, passwordHash, createdAt: at },
        select: { id: true },
      });
      const label = input.name || email.split("@")[0] || "My";
      const workspace = await createWorkspace(tx, { name: `${label}'s workspace`, ownerUserId: user.id, at });
      return { userId: user.id, workspaceId: workspace.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError("email_taken", "An account with this email already exists.", { nextStep: "Sign in instead.", details: { field: "email" } });
    }
    throw err;
  }
}
