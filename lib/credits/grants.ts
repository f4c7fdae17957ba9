import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { grant, type GrantInput } from "@/lib/credits/ledger";
import { lockAndMaintain, maintain } from "@/lib/credits/maintenance";
import { drainQueue } from "@/lib/credits/queue";

/**
 * Adds a grant from outside the ledger (a pack purchase, a promotion) and charges queued events with
 * it. Granting the same source twice is a no-op that returns null.
 */
export async function addCredits(input: Omit<GrantInput, "at" | "kind"> & { at?: Date }, tx?: Tx): Promise<{ id: string } | null> {
  if (!tx) return db.$transaction((t) => addCredits(input, t));
  const at = input.at ?? now();
  await lockAndMaintain(tx, input.workspaceId, at);
  const created = await grant(tx, { ...input, at });
  if (created) await drainQueue(tx, input.workspaceId, at);
  return created;
}

/**
 * A new workspace's ledger, written in the transaction that creates the workspace row: this period's
 * allowance (period maintenance) and, when `signupBonusCredits` is above zero, the one-time sign-up BONUS
 * grant (source "signup", unique per workspace). No lock is taken: no other transaction can see the
 * workspace before this one commits.
 */
export async function openLedger(
  tx: Tx,
  input: { workspaceId: string; at: Date; signupBonusCredits: number; actorUserId?: string | null },
): Promise<void> {
  await maintain(tx, input.workspaceId, input.at);
  if (input.signupBonusCredits > 0) {
    await grant(tx, {
      workspaceId: input.workspaceId,
      type: "BONUS",
      credits: input.signupBonusCredits,
      expiresAt: null,
      source: "signup",
      at: input.at,
      actor: { userId: input.actorUserId ?? null },
      reason: "sign-up bonus",
    });
  }
}
