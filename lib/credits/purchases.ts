import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { freezeGrants, unfreezeGrants } from "@/lib/credits/freeze";
import { lockAndMaintain } from "@/lib/credits/maintenance";

/**
 * A purchase's credits while its payment is disputed (lib/billing/stripe/disputes.ts): frozen when the
 * dispute opens, released when it is won. A lost dispute or a refund takes them back instead
 * (lib/credits/clawback.ts). The freezing itself is lib/credits/freeze.ts.
 */

type PurchaseInput = { workspaceId: string; source: string; reason: string; reference?: string; at?: Date };

async function purchaseGrant(tx: Tx, workspaceId: string, source: string): Promise<string | null> {
  const grant = await tx.creditGrant.findUnique({ where: { workspaceId_source: { workspaceId, source } }, select: { id: true } });
  return grant?.id ?? null;
}

/**
 * Freezes what one purchase (a grant, by its unique source) still holds: a disputed payment's credits
 * stop being spendable until the dispute closes. Under the workspace lock (lockAndMaintain), so it is
 * serialised with every debit. Returns the credits frozen, or null when there is no such grant (yet).
 */
export async function freezePurchase(input: PurchaseInput, tx?: Tx): Promise<number | null> {
  if (!tx) return db.$transaction((t) => freezePurchase(input, t));
  return onPurchaseGrant(tx, input, freezeGrants);
}

/** Makes a purchase's frozen credits spendable again (a dispute won). Returns the credits released. */
export async function releasePurchase(input: PurchaseInput, tx?: Tx): Promise<number | null> {
  if (!tx) return db.$transaction((t) => releasePurchase(input, t));
  return onPurchaseGrant(tx, input, unfreezeGrants);
}

/** Under the workspace lock (maintenance first): `move` applied to the purchase's grant, or null when there is none (yet). */
async function onPurchaseGrant(tx: Tx, input: PurchaseInput, move: typeof freezeGrants | typeof unfreezeGrants): Promise<number | null> {
  const at = input.at ?? now();
  await lockAndMaintain(tx, input.workspaceId, at);
  const grantId = await purchaseGrant(tx, input.workspaceId, input.source);
  if (!grantId) return null;
  return move(tx, { workspaceId: input.workspaceId, at, reason: input.reason, reference: input.reference, grantIds: [grantId] });
}
