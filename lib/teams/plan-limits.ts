import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError, fieldErrors } from "@/lib/errors";
import { entitlementsSchema, planEntitlements, SEATS_KEY, type Entitlements } from "@/lib/teams/limits";

/**
 * An operator edits a plan's limits beyond credits: its seats (null = unlimited) and its named
 * entitlements (a whole number each, null = unlimited; a key left out is not included in the plan).
 * For the operator console (which authorizes the caller with requireAdmin); written to the audit log
 * with the values before and after. Takes effect on the next request: seats and entitlements are
 * read from the plan row every time. Existing members are never removed when seats shrink; only new
 * invitations and acceptances are refused.
 */
export async function updatePlanLimits(input: {
  planId: string;
  seats: number | null;
  entitlements: Entitlements;
  actorUserId: string;
  reason: string;
}) {
  if (input.seats !== null && (!Number.isSafeInteger(input.seats) || input.seats < 1 || input.seats > 100_000)) {
    throw new AppError("invalid_request", "Seats must be a whole number from 1 to 100,000, or unlimited.", { details: { field: "seats" } });
  }
  const parsed = entitlementsSchema.safeParse(input.entitlements);
  if (!parsed.success)
    throw new AppError("invalid_request", "Each entitlement needs a key like roster.artists and a whole number (or unlimited).", {
      details: { fields: fieldErrors(parsed.error.issues) },
    });
  if (SEATS_KEY in parsed.data)
    throw new AppError("invalid_request", "Seats are set on their own, not as an entitlement.", {
      details: { field: "entitlements.seats" },
    });
  const reason = input.reason.trim();
  if (reason.length < 3) throw new AppError("invalid_request", "Give a reason (at least 3 characters).", { details: { field: "reason" } });
  const at = now();
  return db.$transaction(async (tx) => {
    // The plan row lock orders two operators' edits; each audit entry's "before" is the other's "after".
    const rows = await tx.$queryRaw<
      { seats: number | null; entitlements: unknown }[]
    >`SELECT seats, entitlements FROM "Plan" WHERE id = ${input.planId} FOR UPDATE`;
    const before = rows[0];
    if (!before) throw new AppError("not_found", `No plan "${input.planId}".`, { details: { field: "planId" } });
    const plan = await tx.plan.update({
      where: { id: input.planId },
      data: { seats: input.seats, entitlements: parsed.data, updatedAt: at },
    });
    await tx.auditLog.create({
      data: {
        actorUserId: input.actorUserId,
        action: "plan.limits.update",
        targetType: "plan",
        targetId: input.planId,
        reason,
        data: {
          before: { seats: before.seats, entitlements: planEntitlements(before.entitlements) },
          after: { seats: plan.seats, entitlements: parsed.data },
        },
        createdAt: at,
      },
    });
    return { id: plan.id, seats: plan.seats, entitlements: planEntitlements(plan.entitlements) };
  });
}
