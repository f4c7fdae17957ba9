import "server-only";
import type { Tx } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { AppError } from "@/lib/errors";
import { addUsage, lockWorkspace, type Actor } from "@/lib/credits/ledger";
import type { Prisma } from "@/lib/generated/prisma/client";

export type PaidUsageInput = {
  workspaceId: string;
  actionKey: string;
  quantity: number;
  /** What the payment covered, in credits (the action's price × quantity when it was quoted). */
  credits: number;
  idempotencyKey?: string | null;
  subject?: string | null;
  metadata?: Prisma.InputJsonValue | null;
  actor?: Actor;
  at: Date;
  /** Why no credits were drawn, and the outside object that paid (an x402 settlement's transaction hash). */
  reason: string;
  reference: string;
};

/**
 * Records an action that was paid outside the credits (with x402, in USDC): a COMPLETED usage event with
 * its cost, drawn from no grant — like an Enterprise debit, `unmetered` with one UNMETERED ledger entry of
 * 0 credits — and the day's usage rollup. The ledger invariants are about grants, so they hold unchanged.
 * Under the workspace lock (the one credits_charge takes), so a charge with the same idempotency key
 * cannot slip in between the check and the insert; a key already bound is a conflict.
 */
export async function recordPaidUsage(tx: Tx, input: PaidUsageInput): Promise<{ eventId: string }> {
  await lockWorkspace(tx, input.workspaceId);
  if (input.idempotencyKey) {
    const first = await tx.usageEvent.findFirst({
      where: { workspaceId: input.workspaceId, idempotencyKey: input.idempotencyKey },
      select: { id: true },
    });
    if (first) {
      throw new AppError("idempotency_conflict", "This idempotency key was used while the payment was being settled.", {
        details: { event_id: first.id },
      });
    }
  }
  const price = await tx.actionPrice.findFirst({
    where: { actionKey: input.actionKey, effectiveFrom: { lte: input.at } },
    orderBy: { version: "desc" },
    select: { id: true, category: true },
  });
  if (!price) throw new AppError("validation_failed", `Unknown action "${input.actionKey}".`, { details: { field: "action" } });
  const eventId = uuidv7(input.at.getTime());
  await tx.usageEvent.create({
    data: {
      id: eventId,
      workspaceId: input.workspaceId,
      apiClientId: input.actor?.apiClientId ?? null,
      userId: input.actor?.userId ?? null,
      actionKey: input.actionKey,
      category: price.category,
      priceId: price.id,
      quantity: input.quantity,
      credits: input.credits,
      unmetered: true,
      idempotencyKey: input.idempotencyKey ?? null,
      subject: input.subject ?? null,
      ...(input.metadata == null ? {} : { metadata: input.metadata }),
      status: "COMPLETED",
      createdAt: input.at,
      completedAt: input.at,
    },
  });
  await tx.ledgerEntry.create({
    data: {
      workspaceId: input.workspaceId,
      amount: 0,
      kind: "UNMETERED",
      usageEventId: eventId,
      actorUserId: input.actor?.userId ?? null,
      apiClientId: input.actor?.apiClientId ?? null,
      reason: input.reason,
      reference: input.reference,
      createdAt: input.at,
    },
  });
  await addUsage(tx, { workspaceId: input.workspaceId, at: input.at, category: price.category, credits: input.credits, events: 1 });
  return { eventId };
}
