import "server-only";
import type { Tx } from "@/lib/db";
import type { GrantType } from "@/lib/generated/prisma/client";
import { moveCredits } from "@/lib/credits/ledger";

/**
 * Frozen credits are set aside inside their grant's history: a FREEZE entry takes them out of
 * `remaining` (not spendable, not counted), an UNFREEZE entry puts them back. What a grant has frozen
 * is minus the sum of those entries, so freezing twice or unfreezing twice is harmless. Callers hold
 * the workspace lock (lockAndMaintain): period maintenance (lib/credits/standing.ts, a paused plan's
 * allowance) and the disputed purchases of lib/credits/purchases.ts. This module takes no lock itself,
 * so maintenance can use it without a cycle.
 */
type Selection = { workspaceId: string; at: Date; reason: string; types?: GrantType[]; grantIds?: string[]; reference?: string };

/** Freezes what the selected unexpired grants still hold. Returns the credits frozen. */
export async function freezeGrants(tx: Tx, input: Selection): Promise<number> {
  const grants = await tx.creditGrant.findMany({
    where: {
      workspaceId: input.workspaceId,
      remaining: { gt: 0 },
      OR: [{ expiresAt: null }, { expiresAt: { gt: input.at } }],
      ...(input.types ? { type: { in: input.types } } : {}),
      ...(input.grantIds ? { id: { in: input.grantIds } } : {}),
    },
    select: { id: true, remaining: true },
  });
  await moveCredits(tx, {
    workspaceId: input.workspaceId,
    moves: grants.map((g) => ({ grantId: g.id, credits: -g.remaining })),
    kind: "FREEZE",
    at: input.at,
    reason: input.reason,
    reference: input.reference,
  });
  return grants.reduce((sum, g) => sum + g.remaining, 0);
}

/**
 * Makes frozen credits of the selected unexpired grants spendable again, at most `limit` in total
 * (oldest grants first). Returns the credits unfrozen.
 */
export async function unfreezeGrants(tx: Tx, input: Selection & { limit?: number }): Promise<number> {
  const frozen = await frozenByGrant(tx, input);
  let left = input.limit ?? Number.POSITIVE_INFINITY;
  const moves: { grantId: string; credits: number }[] = [];
  for (const f of frozen) {
    const credits = Math.min(f.frozen, left);
    if (credits <= 0) break;
    moves.push({ grantId: f.grantId, credits });
    left -= credits;
  }
  await moveCredits(tx, {
    workspaceId: input.workspaceId,
    moves,
    kind: "UNFREEZE",
    at: input.at,
    reason: input.reason,
    reference: input.reference,
  });
  return moves.reduce((sum, m) => sum + m.credits, 0);
}

/** Credits frozen per unexpired grant of the selection, oldest grant first. */
export async function frozenByGrant(tx: Tx, input: Omit<Selection, "reason">): Promise<{ grantId: string; frozen: number }[]> {
  const rows = await tx.ledgerEntry.groupBy({
    by: ["grantId"],
    where: {
      workspaceId: input.workspaceId,
      kind: { in: ["FREEZE", "UNFREEZE"] },
      grant: {
        OR: [{ expiresAt: null }, { expiresAt: { gt: input.at } }],
        ...(input.types ? { type: { in: input.types } } : {}),
        ...(input.grantIds ? { id: { in: input.grantIds } } : {}),
      },
    },
    _sum: { amount: true },
    orderBy: { grantId: "asc" },
  });
  return rows.filter((r) => r.grantId && (r._sum?.amount ?? 0) < 0).map((r) => ({ grantId: r.grantId!, frozen: -(r._sum?.amount ?? 0) }));
}
