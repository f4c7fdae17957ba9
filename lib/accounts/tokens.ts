import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db, type Db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import type { AccountTokenKind } from "@/lib/generated/prisma/client";

/**
 * Single-use links mailed to users (email verification, password reset; invitations can reuse them).
 * The secret is 32 random bytes shown once, in the link; the database keeps only its SHA-256, so a
 * leaked table or backup opens nothing. Each kind has its own lifetime.
 */
export const TOKEN_TTL_MS: Record<AccountTokenKind, number> = {
  VERIFY_EMAIL: 24 * 60 * 60 * 1000,
  RESET_PASSWORD: 60 * 60 * 1000,
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token for `userId`: returns the secret (for the link; never stored) and when it expires. */
export async function issueToken(
  client: Tx | Db,
  input: { userId: string; kind: AccountTokenKind; at?: Date; ttlMs?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const at = input.at ?? now();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(at.getTime() + (input.ttlMs ?? TOKEN_TTL_MS[input.kind]));
  await client.accountToken.create({
    data: { userId: input.userId, kind: input.kind, tokenHash: hashToken(token), expiresAt, createdAt: at },
  });
  return { token, expiresAt };
}

/** Tokens look like 43 base64url characters; anything else is not worth a query. */
export function wellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * Uses a token once: the user it belongs to, or null when it is unknown, of another kind, already used
 * or expired. One UPDATE … WHERE "usedAt" IS NULL AND "expiresAt" > at RETURNING: two requests racing
 * with the same token both try it, the row lock orders them, and the second one's WHERE no longer
 * matches (PostgreSQL re-checks it on the updated row), so exactly one gets the user back.
 * Run it inside the transaction that acts on the token, so a failure afterwards leaves it unused.
 */
export async function consumeToken(
  client: Tx | Db,
  input: { token: string; kind: AccountTokenKind; at?: Date },
): Promise<{ userId: string } | null> {
  if (!wellFormedToken(input.token)) return null;
  const at = input.at ?? now();
  const rows = await client.accountToken.updateManyAndReturn({
    where: { tokenHash: hashToken(input.token), kind: input.kind, usedAt: null, expiresAt: { gt: at } },
    data: { usedAt: at },
    select: { userId: true },
  });
  return rows[0] ?? null;
}

/** Whether a token would be accepted now (for a page that asks before acting); uses nothing. */
export async function peekToken(input: {
  token: string;
  kind: AccountTokenKind;
  at?: Date;
}): Promise<{ userId: string; expiresAt: Date } | null> {
  if (!wellFormedToken(input.token)) return null;
  const at = input.at ?? now();
  return db.accountToken.findFirst({
    where: { tokenHash: hashToken(input.token), kind: input.kind, usedAt: null, expiresAt: { gt: at } },
    select: { userId: true, expiresAt: true },
  });
}
