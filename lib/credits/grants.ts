import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { grant, type GrantInput } from "@/lib/credits/ledger";
import { lockAndMaintain } from "@/lib/credits/maintenance";
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
