import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { moveCredits } from "@/lib/credits/ledger";
import { lockAndMaintain } from "@/lib/credits/maintenance";

export type ClawbackResult = {
  /** Credits taken by this call. */
  clawed: number;
  /** Credits taken from the grant so far, by every call. */
  total: number;
  /** Credits owed back that were already spent: they stay spent (never a negative balance). */
  shortfall: number;
};

/**
 * Converges one grant (a purchase, by its source) to "`credits` taken back in total": takes the
 * difference from what the grant still holds. Calling it again with the same target takes nothing, so
 * a refund event delivered twice, or out of order with a later partial refund, settles the same way.
 * Safe under concurrency: the workspace lock serialises it with every other write to these grants.
 * Returns null when the workspace has no grant from that source (yet).
 */
export async function clawBack(
  input: { workspaceId: string; source: string; credits: number; reason: string; reference?: string; at?: Date },
  tx?: Tx,
): Promise<ClawbackResult | null> {
  if (!tx) return db.$transaction((t) => clawBack(input, t));
  if (!Number.isSafeInteger(input.credits) || input.credits < 0) throw new RangeError("credits must be a non-negative integer");
  const at = input.at ?? now();
  await lockAndMaintain(tx, input.workspaceId, at);
  const grant = await tx.creditGrant.findUnique({
    where: { workspaceId_source: { workspaceId: input.workspaceId, source: input.source } },
    select: { id: true, amount: true, remaining: true },
  });
  if (!grant) return null;
  const before = await tx.ledgerEntry.aggregate({ where: { grantId: grant.id, kind: "CLAWBACK" }, _sum: { amount: true } });
  const taken = -(before._sum.amount ?? 0);
  const target = Math.min(input.credits, grant.amount);
  const clawed = Math.max(0, Math.min(target - taken, grant.remaining));
  if (clawed > 0) {
    await moveCredits(tx, {
      workspaceId: input.workspaceId,
      moves: [{ grantId: grant.id, credits: -clawed }],
      kind: "CLAWBACK",
      at,
      reason: input.reason,
      reference: input.reference,
    });
  }
  return { clawed, total: taken + clawed, shortfall: Math.max(0, target - taken - clawed) };
}
