import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { addUsage, eventMovesByGrant, grant, moveCredits, type Actor } from "@/lib/credits/ledger";
import { lockAndMaintain } from "@/lib/credits/maintenance";
import { drainQueue } from "@/lib/credits/queue";

export type RefundResult = {
  eventId: string;
  replayed: boolean;
  /** Credits returned in all. */
  credits: number;
  /** Of which returned to the grants they came from, and put into a new BONUS grant (those expired). */
  toOriginalGrants: number;
  toBonusGrant: number;
};

/**
 * Reverses a completed event. Credits go back to the grants they came from; where a grant has expired,
 * into one BONUS grant that expires at the end of the current period. Refunding twice is a no-op
 * (the event's status is checked under the workspace lock).
 */
export async function refund(input: { workspaceId: string; eventId: string; actor?: Actor; reason?: string }): Promise<RefundResult> {
  const at = now();
  return db.$transaction(async (tx) => {
    const period = await lockAndMaintain(tx, input.workspaceId, at);
    const event = await tx.usageEvent.findFirst({ where: { id: input.eventId, workspaceId: input.workspaceId } });
    if (!event) throw new AppError("not_found", "No such event in this workspace.", { details: { event_id: input.eventId } });
    if (event.status === "REFUNDED") {
      const moved = await eventMovesByGrant(tx, event.id, ["REFUND"]);
      const credits = moved.reduce((s, m) => s + m.credits, 0);
      const bonus = await tx.creditGrant.findUnique({
        where: { workspaceId_source: { workspaceId: input.workspaceId, source: `refund:${event.id}` } },
      });
      return {
        eventId: event.id,
        replayed: true,
        credits,
        toOriginalGrants: credits - (bonus?.amount ?? 0),
        toBonusGrant: bonus?.amount ?? 0,
      };
    }
    if (event.status !== "COMPLETED") {
      throw new AppError("conflict", `Only completed events can be refunded; this one is ${event.status.toLowerCase()}.`, {
        details: { event_id: event.id },
      });
    }
    if (event.unmetered) {
      // Paid outside the credits (lib/credits/paid.ts): its UNMETERED entry names the payment. No credit
      // was drawn, so none can go back; the money can only be returned where it was paid.
      const paid = await tx.ledgerEntry.findFirst({
        where: { usageEventId: event.id, kind: "UNMETERED", reference: { not: null } },
        select: { reference: true },
      });
      if (paid) {
        throw new AppError("conflict", "This action was paid in USDC with x402, not with credits: there are no credits to refund.", {
          nextStep: "Return the payment to the payer's wallet on chain if you owe it.",
          details: { event_id: event.id, transaction: paid.reference },
        });
      }
    }

    const debited = await eventMovesByGrant(tx, event.id, ["DEBIT"]);
    const grants = await tx.creditGrant.findMany({
      where: { id: { in: debited.map((d) => d.grantId) } },
      select: { id: true, expiresAt: true },
    });
    const live = new Set(grants.filter((g) => g.expiresAt === null || g.expiresAt > at).map((g) => g.id));
    const back = debited.filter((d) => live.has(d.grantId)).map((d) => ({ grantId: d.grantId, credits: -d.credits }));
    const toBonus = debited.filter((d) => !live.has(d.grantId)).reduce((s, d) => s - d.credits, 0);
    const reason = input.reason ?? "refund";

    await moveCredits(tx, {
      workspaceId: input.workspaceId,
      moves: back,
      kind: "REFUND",
      usageEventId: event.id,
      at,
      actor: input.actor,
      reason,
    });
    if (toBonus > 0) {
      await grant(tx, {
        workspaceId: input.workspaceId,
        type: "BONUS",
        credits: toBonus,
        expiresAt: period.end,
        source: `refund:${event.id}`,
        at,
        actor: input.actor,
        reason,
        kind: "REFUND",
        usageEventId: event.id,
      });
    }
    await tx.usageEvent.update({ where: { id: event.id }, data: { status: "REFUNDED", refundedAt: at } });
    // The usage leaves the breakdown of the day it was charged.
    await addUsage(tx, {
      workspaceId: input.workspaceId,
      at: event.completedAt ?? event.createdAt,
      category: event.category,
      credits: -event.credits,
      events: -1,
    });
    await drainQueue(tx, input.workspaceId, at);
    const toOriginalGrants = back.reduce((s, m) => s + m.credits, 0);
    return { eventId: event.id, replayed: false, credits: toOriginalGrants + toBonus, toOriginalGrants, toBonusGrant: toBonus };
  });
}
