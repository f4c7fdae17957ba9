import "server-only";
import type Stripe from "stripe";
import { db } from "@/lib/db";
import { readPage } from "@/lib/admin/paging";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { processStripeEvent } from "@/lib/billing/stripe/webhook";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The operator console's Stripe event log: every webhook event received, its outcome, and replays of failed ones. */

export const STRIPE_EVENT_STATES = ["failed", "pending", "processed"] as const;
export type StripeEventState = (typeof STRIPE_EVENT_STATES)[number];

export type StripeEventRow = {
  id: string;
  type: string;
  objectId: string | null;
  state: StripeEventState;
  receivedAt: Date;
  processedAt: Date | null;
  error: string | null;
  payload: unknown;
};

function stateOf(e: { processedAt: Date | null; error: string | null }): StripeEventState {
  return e.processedAt ? "processed" : e.error ? "failed" : "pending";
}

const STATE_WHERE: Record<StripeEventState, Prisma.StripeEventWhereInput> = {
  processed: { processedAt: { not: null } },
  failed: { processedAt: null, error: { not: null } },
  pending: { processedAt: null, error: null },
};

/** Events whose processing failed and that no retry, replay or reconciliation has fixed yet. */
export function countFailedStripeEvents(): Promise<number> {
  return db.stripeEvent.count({ where: STATE_WHERE.failed });
}

export async function stripeEventPage(input: { state?: StripeEventState; object?: string; page?: number }) {
  const where: Prisma.StripeEventWhereInput = { AND: [input.state ? STATE_WHERE[input.state] : {}] };
  const object = input.object?.trim();
  // The object's id anywhere in the payload (its own id, its session, charge or customer): the event log
  // is small next to the ledger, and operators search it rarely.
  const ids = object
    ? (await db.$queryRaw<{ id: string }[]>`SELECT id FROM "StripeEvent" WHERE strpos(payload::text, ${`"${object}"`}) > 0`).map(
        (r) => r.id,
      )
    : null;
  if (ids) where.id = { in: ids };
  const { rows: events, ...at } = await readPage(input.page, await db.stripeEvent.count({ where }), (window) =>
    db.stripeEvent.findMany({ where, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], ...window }),
  );
  const failed = await countFailedStripeEvents();
  return {
    ...at,
    failed,
    rows: events.map((e): StripeEventRow => ({
      id: e.id,
      type: e.type,
      objectId: ((e.payload as { data?: { object?: { id?: unknown } } })?.data?.object?.id as string | undefined) ?? null,
      state: stateOf(e),
      receivedAt: e.receivedAt,
      processedAt: e.processedAt,
      error: e.error,
      payload: e.payload,
    })),
  };
}

/**
 * Runs a failed (or never processed) event's handler again from its recorded payload — handlers re-read
 * the object from Stripe, so the outcome reflects Stripe's state now. Audited with the operator's name.
 */
export async function replayStripeEvent(id: string, operatorId: string): Promise<"handled" | "ignored" | "failed"> {
  const row = await db.stripeEvent.findUnique({ where: { id } });
  if (!row) throw new AppError("not_found", "No such Stripe event.");
  if (row.processedAt) throw new AppError("conflict", "This event was processed already; there is nothing to replay.");
  let outcome: "handled" | "ignored" | "failed";
  try {
    const result = await processStripeEvent(row.payload as unknown as Stripe.Event);
    if (result.duplicate) throw new AppError("conflict", "This event was processed already; there is nothing to replay.");
    outcome = result.handled ? "handled" : "ignored";
  } catch (err) {
    // The handler failed again: its error is on the event row for the log to show.
    if (!(err instanceof AppError && err.code === "service_unavailable")) throw err;
    outcome = "failed";
  }
  await db.auditLog.create({
    data: {
      actorUserId: operatorId,
      action: "stripe_event.replay",
      targetType: "stripe_event",
      targetId: id,
      reason: null,
      data: { type: row.type, outcome, previousError: row.error },
      createdAt: now(),
    },
  });
  return outcome;
}
