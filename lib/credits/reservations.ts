import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { allocate } from "@/lib/credits/allocate";
import { addUsage, expireGrants, moveCredits, spendableGrants, type Actor } from "@/lib/credits/ledger";
import { MAX_CREDITS } from "@/lib/pricing/limits";
import { lockAndMaintain, releaseHold } from "@/lib/credits/maintenance";
import { drainQueue } from "@/lib/credits/queue";
import { assertWithinBudgets } from "@/lib/credits/budgets";

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

/** The first `keep` credits of a hold (credits per grant, in the order they were taken). */
function splitHold(held: { grantId: string; credits: number }[], keep: number) {
  const kept: { grantId: string; credits: number }[] = [];
  let left = keep;
  for (const h of held) {
    const take = Math.min(left, h.credits);
    if (take > 0) kept.push({ grantId: h.grantId, credits: take });
    left -= take;
  }
  return kept;
}

/**
 * Commits a reservation with the actual credits used. Held credits of a grant that expired meanwhile pay
 * first (they were set aside before the expiry); the live part of the hold goes back and the rest of
 * the actual amount is charged in spend order — at or below the hold that always fits. Above what the
 * balance allows, what the hold covers is charged (in spend order too) and the event flagged `short`
 * (the work is done, the balance never goes negative). A commit after the hold expired is charged like a new debit.
 * Committing again with the same actual amount returns the first result.
 */
export async function commitReservation(input: {
  workspaceId: string;
  reservationId: string;
  actual: number;
  actor?: Actor;
}): Promise<CommitResult> {
  const { actual } = input;
  if (!Number.isSafeInteger(actual) || actual < 0 || actual > MAX_CREDITS) {
    throw new AppError("invalid_request", "actual must be a whole number of credits from 0 to 2,147,483,647.", {
      details: { field: "actual" },
    });
  }
  const at = now();
  return db.$transaction(async (tx) => {
    const period = await lockAndMaintain(tx, input.workspaceId, at); // may expire this very hold
    const event = await findReservation(tx, input.workspaceId, input.reservationId);
    const remainingNow = async () => sum(await spendableGrants(tx, input.workspaceId, at));

    if (event.status === "COMPLETED" && event.actualCredits !== null) {
      if (event.actualCredits !== actual) {
        throw new AppError("conflict", `This reservation was already committed with actual ${event.actualCredits}.`, {
          details: { reservation_id: event.id },
        });
      }
      return {
        eventId: event.id,
        replayed: true,
        credits: event.credits,
        actual,
        short: event.short,
        remaining: await remainingNow(),
        resetAt: period.end,
      };
    }
    const expired =
      event.status === "RELEASED" && event.releasedAt !== null && event.holdExpiresAt !== null && event.releasedAt >= event.holdExpiresAt;
    if (event.status !== "PENDING" && !expired) {
      throw new AppError("conflict", `This reservation is ${event.status.toLowerCase()} and cannot be committed.`, {
        details: { reservation_id: event.id },
      });
    }

    // A commit above its hold (or after the hold expired) spends more: only within the budgets that
    // apply, in the period the event belongs to (it counts on its own day: usage_event_budget_spend).
    const counted = event.status === "PENDING" ? event.credits : 0;
    await assertWithinBudgets(tx, {
      workspaceId: input.workspaceId,
      apiClientId: event.apiClientId,
      userId: event.userId,
      credits: actual - counted,
      at: event.createdAt,
    });

    let charge = actual;
    let short = false;
    if (event.unmetered) {
      await tx.ledgerEntry.create({
        data: { workspaceId: input.workspaceId, amount: 0, kind: "UNMETERED", usageEventId: event.id, createdAt: at },
      });
    } else {
      // Held credits per grant, in the order they were taken (credits_charge writes them in spend order).
      const held =
        event.status === "PENDING"
          ? await tx.ledgerEntry.findMany({
              where: { usageEventId: event.id, kind: "HOLD" },
              orderBy: { id: "asc" },
              select: { amount: true, grant: { select: { id: true, expiresAt: true } } },
            })
          : [];
      const heldTotal = held.reduce((s, h) => s - h.amount, 0);
      // Credits held from a grant that has expired since were set aside for this work before the
      // expiry: they pay first. The rest is charged in spend order once the live part of the hold is back.
      const expiredHeld = held
        .filter((h) => h.grant!.expiresAt !== null && h.grant!.expiresAt <= at)
        .map((h) => ({ grantId: h.grant!.id, credits: -h.amount }));
      const fromExpired = splitHold(expiredHeld, actual);
      const fromExpiredTotal = fromExpired.reduce((s, m) => s + m.credits, 0);
      const rest = actual - fromExpiredTotal;
      if (held.length > 0) await releaseHold(tx, input.workspaceId, event.id, at);
      const grants = await spendableGrants(tx, input.workspaceId, at);
      let moves = rest > 0 ? allocate(grants, rest) : [];
      if (moves === null) {
        if (event.status !== "PENDING") {
          throw new AppError("insufficient_credits", "The hold had expired and the balance cannot cover this commit.", {
            nextStep: "Buy a credit pack or upgrade, then commit again.",
            details: { remaining: sum(grants), required: actual, reset_at: period.end.toISOString() },
          });
        }
        // Short: what the hold covers is charged, like any debit in spend order (its live part was just
        // returned, so it always fits), after the held credits of expired grants.
        const live = allocate(grants, heldTotal - fromExpiredTotal);
        if (live === null) throw new Error("A returned hold no longer covers itself: the ledger is inconsistent.");
        moves = [...fromExpired, ...live];
        charge = heldTotal;
        short = true;
      } else {
        moves = [...fromExpired, ...moves];
      }
      await moveCredits(tx, {
        workspaceId: input.workspaceId,
        moves: moves.map((a) => ({ grantId: a.grantId, credits: -a.credits })),
        kind: "DEBIT",
        usageEventId: event.id,
        at,
        actor: input.actor,
      });
      await expireGrants(tx, input.workspaceId, at); // what went back to a grant that expired meanwhile
    }
    await tx.usageEvent.update({
      where: { id: event.id },
      data: { status: "COMPLETED", credits: charge, actualCredits: actual, short, completedAt: at },
    });
    await addUsage(tx, { workspaceId: input.workspaceId, at, category: event.category, credits: charge, events: 1 });
    await drainQueue(tx, input.workspaceId, at); // credits released from the hold may let queued work run
    return { eventId: event.id, replayed: false, credits: charge, actual, short, remaining: await remainingNow(), resetAt: period.end };
  });
}

/** Releases a reservation when the work failed: the hold returns in full. Releasing twice is a no-op. */
export async function releaseReservation(input: {
  workspaceId: string;
  reservationId: string;
}): Promise<{ eventId: string; released: number; replayed: boolean }> {
  const at = now();
  return db.$transaction(async (tx) => {
    await lockAndMaintain(tx, input.workspaceId, at);
    const event = await findReservation(tx, input.workspaceId, input.reservationId);
    if (event.status === "RELEASED") return { eventId: event.id, released: event.unmetered ? 0 : event.credits, replayed: true };
    if (event.status !== "PENDING") {
      throw new AppError("conflict", `This reservation is ${event.status.toLowerCase()} and cannot be released.`, {
        details: { reservation_id: event.id },
      });
    }
    await releaseHold(tx, input.workspaceId, event.id, at);
    await expireGrants(tx, input.workspaceId, at);
    await drainQueue(tx, input.workspaceId, at);
    return { eventId: event.id, released: event.unmetered ? 0 : event.credits, replayed: false };
  });
}
