import "server-only";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ActionCategory, GrantType, LedgerKind } from "@/lib/generated/prisma/client";
import { MAX_CREDITS } from "@/lib/pricing/limits";

/**
 * The primitives that change balances. Each writes its LedgerEntry in the same transaction as the
 * grant change, so per grant: remaining = Σ ledger amounts. Callers hold the workspace lock
 * (lockWorkspace) for the whole transaction: every write to a workspace's grants happens under it.
 * The hot path (debit and reserve) does the same in one SQL function, credits_charge.
 */

export type Actor = { userId?: string | null; apiClientId?: string | null };

/** A ledger entry's context: the usage event, who acted, why, the outside reference and when. */
function entryContext(input: { usageEventId?: string | null; actor?: Actor; reason?: string | null; reference?: string | null; at: Date }) {
  return {
    usageEventId: input.usageEventId ?? null,
    actorUserId: input.actor?.userId ?? null,
    apiClientId: input.actor?.apiClientId ?? null,
    reason: input.reason ?? null,
    reference: input.reference ?? null,
    createdAt: input.at,
  };
}

/**
 * Serialises every balance change of one workspace: a transaction-scoped advisory lock on the
 * workspace id (the one credits_charge takes), held until the transaction ends. Other workspaces are
 * unaffected; unlike a row lock it writes nothing.
 */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM (SELECT pg_advisory_xact_lock(hashtextextended(${workspaceId}, 0))) l, "Workspace" WHERE id = ${workspaceId}`;
  if (rows.length === 0) throw new AppError("not_found", "Workspace not found.");
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
  /** The ledger kind of the opening entry: GRANT, or ADJUSTMENT / REFUND for those operations. */
  kind?: Extract<LedgerKind, "GRANT" | "ADJUSTMENT" | "REFUND">;
  usageEventId?: string;
  /** The outside object behind it (a Stripe checkout session cs_…). */
  reference?: string;
};

/** Creates a grant and its opening entry. Returns null when this source was already granted. */
export async function grant(tx: Tx, input: GrantInput): Promise<{ id: string } | null> {
  if (!Number.isSafeInteger(input.credits) || input.credits < 0 || input.credits > MAX_CREDITS) {
    throw new RangeError("credits must be a non-negative 32-bit integer");
  }
  // The unique (workspaceId, source) index makes a repeated source harmless: ON CONFLICT DO NOTHING.
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
      kind: input.kind ?? "GRANT",
      ...entryContext(input),
    },
  });
  return row;
}

/** Grants spendable now, in no particular order (allocate() sorts them). */
export function spendableGrants(tx: Tx | Db, workspaceId: string, at: Date) {
  return tx.creditGrant.findMany({
    where: { workspaceId, remaining: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    select: { id: true, type: true, amount: true, remaining: true, expiresAt: true, createdAt: true },
  });
}

/** Moves credits between grants and the outside world, one entry per grant: negative out, positive in. */
export async function moveCredits(
  tx: Tx,
  input: {
    workspaceId: string;
    moves: { grantId: string; credits: number }[]; // signed
    kind: Extract<LedgerKind, "DEBIT" | "HOLD" | "RELEASE" | "REFUND" | "ADJUSTMENT" | "CLAWBACK" | "FREEZE" | "UNFREEZE">;
    usageEventId?: string;
    at: Date;
    actor?: Actor;
    reason?: string;
    reference?: string;
  },
): Promise<void> {
  const moves = input.moves.filter((m) => m.credits !== 0);
  for (const { grantId, credits } of moves) {
    // The guard and the CHECK (0 <= remaining <= amount) together: a stale move can never overdraw.
    const updated =
      credits < 0
        ? await tx.creditGrant.updateMany({
            where: { id: grantId, workspaceId: input.workspaceId, remaining: { gte: -credits } },
            data: { remaining: { decrement: -credits } },
          })
        : await tx.creditGrant.updateMany({
            where: { id: grantId, workspaceId: input.workspaceId },
            data: { remaining: { increment: credits } },
          });
    if (updated.count !== 1) throw new Error(`grant ${grantId} cannot take a move of ${credits} credits`);
  }
  if (moves.length === 0) return;
  await tx.ledgerEntry.createMany({
    data: moves.map(({ grantId, credits }) => ({
      workspaceId: input.workspaceId,
      grantId,
      amount: credits,
      kind: input.kind,
      ...entryContext(input),
    })),
  });
}

/** Net credits per grant that an event's entries of the given kinds moved (negative = taken out). */
export async function eventMovesByGrant(
  tx: Tx,
  usageEventId: string,
  kinds: LedgerKind[],
): Promise<{ grantId: string; credits: number }[]> {
  const rows = await tx.ledgerEntry.groupBy({
    by: ["grantId"],
    where: { usageEventId, kind: { in: kinds }, grantId: { not: null } },
    _sum: { amount: true },
  });
  return rows.map((r) => ({ grantId: r.grantId!, credits: r._sum.amount ?? 0 })).filter((r) => r.credits !== 0);
}

/** Expires what is left of every grant past its expiry (one EXPIRY entry each). Returns credits expired. */
export async function expireGrants(tx: Tx, workspaceId: string, at: Date): Promise<number> {
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

/** Adds to (or, negative, takes from) the daily usage rollup the billing panel reads. */
export async function addUsage(
  tx: Tx,
  input: { workspaceId: string; at: Date; category: ActionCategory; credits: number; events: number },
) {
  // Timestamps are stored as UTC wall time, so the cast gives the UTC day.
  await tx.$executeRaw`
    INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
    VALUES (${input.workspaceId}, ${input.at}::timestamp(3)::date, ${input.category}::"ActionCategory", ${input.credits}, ${input.events})
    ON CONFLICT ("workspaceId", day, category)
    DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + EXCLUDED.events`;
}

/** Grows a grant's amount and remaining together (an upgrade's top-up), with its GRANT entry. */
export async function growGrant(
  tx: Tx,
  input: { workspaceId: string; grantId: string; credits: number; at: Date; actor?: Actor; reason: string },
) {
  if (!Number.isSafeInteger(input.credits) || input.credits <= 0) throw new RangeError("credits must be a positive integer");
  await tx.creditGrant.update({
    where: { id: input.grantId, workspaceId: input.workspaceId },
    data: { amount: { increment: input.credits }, remaining: { increment: input.credits } },
  });
  await tx.ledgerEntry.create({
    data: {
      workspaceId: input.workspaceId,
      grantId: input.grantId,
      amount: input.credits,
      kind: "GRANT",
      actorUserId: input.actor?.userId ?? null,
      reason: input.reason,
      createdAt: input.at,
    },
  });
}
