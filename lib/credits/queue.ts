import "server-only";
import type { Tx } from "@/lib/db";
import { allocate } from "@/lib/credits/allocate";
import { addUsage, moveCredits, spendableGrants } from "@/lib/credits/ledger";

/**
 * Charges queued events (out-of-credits policy `queue`) first-in first-out until the balance runs out.
 * Called, under the workspace lock, whenever credits arrive: period grant, purchase, adjustment, refund.
 * Returns the ids of the events it charged.
 */
export async function drainQueue(tx: Tx, workspaceId: string, at: Date): Promise<string[]> {
  const queued = await tx.usageEvent.findMany({
    where: { workspaceId, status: "QUEUED" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, credits: true, category: true, userId: true, apiClientId: true },
  });
  if (queued.length === 0) return [];
  const grants = await spendableGrants(tx, workspaceId, at);
  const charged: string[] = [];
  for (const event of queued) {
    const allocations = allocate(grants, event.credits);
    if (allocations === null) break;
    await moveCredits(tx, {
      workspaceId,
      moves: allocations.map((a) => ({ grantId: a.grantId, credits: -a.credits })),
      kind: "DEBIT",
      usageEventId: event.id,
      at,
      actor: { userId: event.userId, apiClientId: event.apiClientId },
    });
    for (const a of allocations) {
      const g = grants.find((x) => x.id === a.grantId)!;
      g.remaining -= a.credits;
    }
    await tx.usageEvent.update({ where: { id: event.id }, data: { status: "COMPLETED", completedAt: at } });
    await addUsage(tx, { workspaceId, at, category: event.category, credits: event.credits, events: 1 });
    charged.push(event.id);
  }
  // The AI product that queued them hears about it: an outbox row per event, in this transaction,
  // delivered (signed, with retries) by the jobs worker (lib/jobs/webhooks.ts).
  const announce = queued.filter((e) => charged.includes(e.id) && e.apiClientId);
  if (announce.length > 0) {
    await tx.webhookDelivery.createMany({
      data: announce.map((e) => ({ apiClientId: e.apiClientId!, eventId: e.id, type: "event.charged", nextAttemptAt: at, createdAt: at })),
      skipDuplicates: true,
    });
  }
  return charged;
}
