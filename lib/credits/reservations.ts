import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { allocate } from "@/lib/credits/allocate";
import { addUsage, expireGrants, lockWorkspace, MAX_CREDITS, moveCredits, spendableGrants, type Actor } from "@/lib/credits/ledger";
import { maintain, releaseHold } from "@/lib/credits/maintenance";

export type CommitResult = {
  eventId: string;
  replayed: boolean;
  /** Credits charged: the actual amount, or what the hold covered when the balance could not (short). */
  credits: number;
  actual: number;
  short: boolean;
  remaining: number;
  resetAt: Date;
};

async function findReservation(tx: Tx, workspaceId: string, eventId: string) {
  const event = await tx.usageEvent.findFirst({ where: { id: eventId, workspaceId } });
  if (!event) throw new AppError("not_found", "No such reservation in this workspace.", { details: { reservation_id: eventId } });
  return event;
}

function sum(grants: { remaining: number }[]) {
  return grants.reduce((s, g) => s + g.remaining, 0);
}

/**
 * Commits a reservation with the actual credits used. The hold is returned and the actual amount
 * charged in spend order: at or below the hold that always fits; above it the difference is charged
 * if the balance allows, else the hold is charged and the event flagged `short` (the work is done, the
 * balance never goes negative). A commit after the hold expired is charged like a new debit.
 * Committing again with the same actual amount returns the first result.
 */
export async function commitReservation(input: { workspaceId: string; reservationId: string; actual: number; actor?: Actor }): Promise<CommitResult> {
  const { actual } = input;
  if (!Number.isSafeInteger(actual) || actual < 0 || actual > MAX_CREDITS) {
    throw new AppError("invalid_request", "actual must be a whole number of credits from 0 to 2,147,483,647.", { details: { field: "actual" } });
  }
  const at = now();
  return db.$transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const period = await maintain(tx, input.workspaceId, at); // may expire this very hold
    const event = await findReservation(tx, input.workspaceId, input.reservationId);
    const remainingNow = async () => sum(await spendableGrants(tx, input.workspaceId, at));

    if (event.status === "COMPLETED" && event.actualCredits !== null) {
      if (event.actualCredits !== actual) {
        throw new AppError("conflict", `This reservation was already committed with actual ${event.actualCredits}.`, { details: { reservation_id: event.id } });
      }
      return { eventId: event.id, replayed: true, credits: event.credits, actual, short: event.short, remaining: await remainingNow(), resetAt: period.end };
    }
    const expired = event.status === "RELEASED" && event.releasedAt !== null && event.holdExpiresAt !== null && event.releasedAt >= event.holdExpiresAt;
    if (event.status !== "PENDING" && !expired) {
      throw new AppError("conflict", `This reservation is ${event.status.toLowerCase()} and cannot be committed.`, { details: { reservation_id: event.id } });
    }

    let charge = actual;
    let short = false;
    if (!event.unmetered) {
      const held = event.status === "PENDING" ? event.credits : 0;
      if (event.status === "PENDING") {
        await releaseHold(tx, input.workspaceId, event.id, at);
        await expireGrants(tx, input.workspaceId, at); // credits returned to a grant that expired meanwhile
      }
      const grants = await spendableGrants(tx, input.workspaceId, at);
      const available = sum(grants);
      if (available < actual) {
        if (event.status !== "PENDING") {
          throw new AppError("insufficient_credits", "The hold had expired and the balance cannot cover this commit.", {
            nextStep: "Buy a credit pack or upgrade, then commit again.",
            details: { remaining: available, required: actual, reset_at: period.end.toISOString() },
          });
        }
        charge = Math.min(held, available);
        short = true;
      }
      const allocations = allocate(grants, charge)!;
      await moveCredits(tx, {
        workspaceId: input.workspaceId,
        moves: allocations.map((a) => ({ grantId: a.grantId, credits: -a.credits })),
        kind: "DEBIT",
        usageEventId: event.id,
        at,
        actor: input.actor,
      });
    } else {
      await tx.ledgerEntry.create({ data: { workspaceId: input.workspaceId, amount: 0, kind: "UNMETERED", usageEventId: event.id, createdAt: at } });
    }
    await tx.usageEvent.update({
      where: { id: event.id },
      data: { status: "COMPLETED", credits: charge, actualCredits: actual, short, completedAt: at },
    });
    await addUsage(tx, { workspaceId: input.workspaceId, at, category: event.category, credits: charge, events: 1 });
    return { eventId: event.id, replayed: false, credits: charge, actual, short, remaining: await remainingNow(), resetAt: period.end };
  });
}

/** Releases a reservation when the work failed: the hold returns in full. Releasing twice is a no-op. */
export async function releaseReservation(input: { workspaceId: string; reservationId: string }): Promise<{ eventId: string; released: number; replayed: boolean }> {
  const at = now();
  return db.$transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    await maintain(tx, input.workspaceId, at);
    const event = await findReservation(tx, input.workspaceId, input.reservationId);
    if (event.status === "RELEASED") return { eventId: event.id, released: event.unmetered ? 0 : event.credits, replayed: true };
    if (event.status !== "PENDING") {
      throw new AppError("conflict", `This reservation is ${event.status.toLowerCase()} and cannot be released.`, { details: { reservation_id: event.id } });
    }
    await releaseHold(tx, input.workspaceId, event.id, at);
    await expireGrants(tx, input.workspaceId, at);
    return { eventId: event.id, released: event.unmetered ? 0 : event.credits, replayed: false };
  });
}
