import type { Tx } from "@/lib/db";
import type { GrantType, LedgerKind } from "@/lib/generated/prisma/client";

/**
 * The only code that changes a grant's `remaining`: each change writes its LedgerEntry in the same
 * transaction, so balance = Σ grant.remaining = Σ ledger amounts, always.
 */

export type Actor = { userId?: string | null; apiClientId?: string | null };

/**
 * Serialises every balance change of one workspace: a row lock on the workspace, held until the
 * caller's transaction ends. Concurrent debits, grants and rollovers for the same workspace queue
 * here; other workspaces are unaffected.
 */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
  if (rows.length === 0) throw new Error(`workspace ${workspaceId} not found`);
}

export type GrantInput = {
  workspaceId: string;
  type: GrantType;
  credits: number;
  expiresAt: Date | null;
  /** Unique per workspace: the same source never grants twice (period, signup, checkout session…). */
  source: string;
  at: Date;
  actor?: Actor;
  reason?: string;
};

/** Creates a grant and its GRANT entry. Returns null when this source was already granted. */
export async function grant(tx: Tx, input: GrantInput): Promise<{ id: string } | null> {
  if (!Number.isSafeInteger(input.credits) || input.credits < 0) throw new RangeError("credits must be a non-negative integer");
  // The unique (workspaceId, source) constraint makes racing grants of the same source harmless:
  // ON CONFLICT DO NOTHING lets exactly one insert through.
  const created = await tx.creditGrant.createManyAndReturn({
    data: [
      {
        workspaceId: input.workspaceId,
        type: input.type,
        amount: input.credits,
        remaining: input.credits,
        expiresAt: input.expiresAt,
        source: input.source,
        createdAt: input.at,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  const row = created[0];
  if (!row) return null;
  await tx.ledgerEntry.create({
    data: {
      workspaceId: input.workspaceId,
      grantId: row.id,
      amount: input.credits,
      kind: "GRANT",
      actorUserId: input.actor?.userId ?? null,
      apiClientId: input.actor?.apiClientId ?? null,
      reason: input.reason ?? null,
      createdAt: input.at,
    },
  });
  return row;
}

/** Takes credits out of grants (already allocated in spend order) with one entry per grant. */
export async function drawFromGrants(
  tx: Tx,
  input: {
    workspaceId: string;
    allocations: { grantId: string; credits: number }[];
    kind: Extract<LedgerKind, "DEBIT" | "HOLD" | "ADJUSTMENT">;
    usageEventId?: string;
    at: Date;
    actor?: Actor;
    reason?: string;
  },
): Promise<void> {
  for (const { grantId, credits } of input.allocations) {
    // The CHECK constraint (remaining >= 0) backs this guard: a stale allocation can never overdraw.
    const updated = await tx.creditGrant.updateMany({
      where: { id: grantId, workspaceId: input.workspaceId, remaining: { gte: credits } },
      data: { remaining: { decrement: credits } },
    });
    if (updated.count !== 1) throw new Error(`grant ${grantId} cannot cover ${credits} credits`);
  }
  await tx.ledgerEntry.createMany({
    data: input.allocations.map(({ grantId, credits }) => ({
      workspaceId: input.workspaceId,
      grantId,
      amount: -credits,
      kind: input.kind,
      usageEventId: input.usageEventId ?? null,
      actorUserId: input.actor?.userId ?? null,
      apiClientId: input.actor?.apiClientId ?? null,
      reason: input.reason ?? null,
      createdAt: input.at,
    })),
  });
}

/** Expires what is left of every grant past its expiry (one EXPIRY entry each). Returns credits expired. */
export async function expireGrants(tx: Tx, workspaceId: string, at: Date): Promise<number> {
  // FOR UPDATE in the subquery: a concurrent expiry waits, then sees remaining = 0 and skips the row,
  // so an expiry is never written twice.
  const expired = await tx.$queryRaw<{ id: string; credits: number }[]>`
    UPDATE "CreditGrant" g SET remaining = 0
      FROM (SELECT id, remaining FROM "CreditGrant"
             WHERE "workspaceId" = ${workspaceId} AND remaining > 0 AND "expiresAt" <= ${at}
             FOR UPDATE) old
     WHERE g.id = old.id
 RETURNING g.id, old.remaining AS credits`;
  if (expired.length === 0) return 0;
  await tx.ledgerEntry.createMany({
    data: expired.map((g) => ({ workspaceId, grantId: g.id, amount: -g.credits, kind: "EXPIRY" as const, createdAt: at })),
  });
  return expired.reduce((sum, g) => sum + g.credits, 0);
}
