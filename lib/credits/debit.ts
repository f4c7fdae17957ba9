import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { allocate } from "@/lib/credits/allocate";
import { drawFromGrants, lockWorkspace, type Actor } from "@/lib/credits/ledger";
import { rollOver, workspacePeriodSelect } from "@/lib/credits/period";
import { currentPrice } from "@/lib/pricing/prices";
import type { Prisma } from "@/lib/generated/prisma/client";

export type DebitInput = {
  workspaceId: string;
  actionKey: string;
  quantity?: number;
  idempotencyKey?: string | null;
  subject?: string | null;
  metadata?: Prisma.InputJsonValue | null;
  actor?: Actor;
  /** When the action happened; defaults to the clock. Only imports and the demo seed backdate. */
  at?: Date;
};

export type DebitResult =
  | { ok: true; replayed: boolean; eventId: string; credits: number; remaining: number; resetAt: Date }
  | { ok: false; reason: "insufficient_credits"; credits: number; remaining: number; resetAt: Date };

async function spendable(tx: Tx, workspaceId: string, at: Date) {
  return tx.creditGrant.findMany({
    where: { workspaceId, remaining: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    select: { id: true, type: true, remaining: true, expiresAt: true, createdAt: true },
  });
}

/**
 * Charges an action to a workspace: price from the current ActionPrice version (recorded on the
 * event), all or nothing across grants in spend order, idempotent per (workspace, idempotency key).
 *
 * Concurrency: the workspace row lock (lockWorkspace) serialises debits of one workspace, so the
 * balance read, the allocation and the writes see no interleaving; the unique (workspaceId,
 * idempotencyKey) index backs the replay check.
 */
export async function debit(input: DebitInput, tx?: Tx): Promise<DebitResult> {
  if (!tx) return db.$transaction((t) => debit(input, t));
  const at = input.at ?? now();
  const quantity = input.quantity ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new AppError("invalid_request", "quantity must be a positive integer");

  await lockWorkspace(tx, input.workspaceId);
  const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: input.workspaceId }, select: workspacePeriodSelect });
  const period = await rollOver(tx, workspace, at);

  if (input.idempotencyKey) {
    const first = await tx.usageEvent.findUnique({
      where: { workspaceId_idempotencyKey: { workspaceId: input.workspaceId, idempotencyKey: input.idempotencyKey } },
    });
    if (first) {
      if (first.actionKey !== input.actionKey || first.quantity !== quantity) {
        throw new AppError("idempotency_conflict", "This idempotency key was already used for a different action or quantity.", {
          nextStep: "Use a new idempotency key for a different request.",
        });
      }
      const grants = await spendable(tx, input.workspaceId, at);
      return { ok: true, replayed: true, eventId: first.id, credits: first.credits, remaining: sum(grants), resetAt: period.end };
    }
  }

  const price = await currentPrice(tx, input.actionKey, at);
  if (!price || !price.active) {
    throw new AppError("validation_failed", `Unknown action "${input.actionKey}".`, { nextStep: "GET /api/v1/pricing lists the actions." });
  }
  const credits = price.credits * quantity;
  const unmetered = workspace.plan.monthlyCredits === null;
  const grants = await spendable(tx, input.workspaceId, at);
  const allocations = unmetered ? [] : allocate(grants, credits);
  if (allocations === null) {
    return { ok: false, reason: "insufficient_credits", credits, remaining: sum(grants), resetAt: period.end };
  }

  const event = await tx.usageEvent.create({
    data: {
      workspaceId: input.workspaceId,
      apiClientId: input.actor?.apiClientId ?? null,
      userId: input.actor?.userId ?? null,
      actionKey: input.actionKey,
      category: price.category,
      priceId: price.id,
      quantity,
      credits,
      unmetered,
      idempotencyKey: input.idempotencyKey ?? null,
      subject: input.subject ?? null,
      metadata: input.metadata ?? undefined,
      status: "COMPLETED",
      createdAt: at,
      completedAt: at,
    },
  });
  if (unmetered) {
    // Enterprise: recorded with its cost, drawn from no grant (DESIGN.md).
    await tx.ledgerEntry.create({
      data: { workspaceId: input.workspaceId, amount: 0, kind: "UNMETERED", usageEventId: event.id, createdAt: at },
    });
  } else if (allocations.length > 0) {
    await drawFromGrants(tx, { workspaceId: input.workspaceId, allocations, kind: "DEBIT", usageEventId: event.id, at, actor: input.actor });
  }
  return { ok: true, replayed: false, eventId: event.id, credits, remaining: sum(grants) - (unmetered ? 0 : credits), resetAt: period.end };
}

function sum(grants: { remaining: number }[]): number {
  return grants.reduce((s, g) => s + g.remaining, 0);
}
