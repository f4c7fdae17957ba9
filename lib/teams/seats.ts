import "server-only";
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { describeOffer, nextPlanAllowing, SEATS_KEY, upgradeUrl, within } from "@/lib/teams/limits";

/** Seats of a workspace: its members plus its pending (open, unexpired) invitations, against the plan's seats. */
export type SeatUsage = {
  /** The plan's seats; null = unlimited. */
  limit: number | null;
  members: number;
  pending: number;
  used: number;
  /** Seats left; null = unlimited. */
  available: number | null;
};

export function pendingWhere(workspaceId: string, at: Date) {
  return { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: at } };
}

export async function seatUsage(tx: Tx, workspaceId: string, at: Date): Promise<SeatUsage> {
  const [workspace, members, pending] = await Promise.all([
    tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { plan: { select: { seats: true } } } }),
    tx.membership.count({ where: { workspaceId } }),
    tx.invitation.count({ where: pendingWhere(workspaceId, at) }),
  ]);
  const limit = workspace.plan.seats;
  const used = members + pending;
  return { limit, members, pending, used, available: limit === null ? null : Math.max(limit - used, 0) };
}

/**
 * Refuses with 402 `seat_limit_reached` when `needed` seats (the count after the change) exceed the
 * plan's, naming the first plan that has enough. Call under lockTeam, so the count cannot move.
 */
export async function assertSeats(input: {
  planId: string;
  planName: string;
  usage: SeatUsage;
  needed: number;
  doing: string;
}): Promise<void> {
  const { usage, needed } = input;
  if (within(usage.limit, needed)) return;
  const next = await nextPlanAllowing(input.planId, SEATS_KEY, needed);
  const seats = `${usage.limit} seat${usage.limit === 1 ? "" : "s"}`;
  const taken = `${usage.members} member${usage.members === 1 ? "" : "s"}${usage.pending > 0 ? ` and ${usage.pending} pending invitation${usage.pending === 1 ? "" : "s"}` : ""}`;
  const upgrade = next ? `Upgrade to ${describeOffer(next, "seat", "seats")}` : "Contact us for more seats";
  throw new AppError(
    "seat_limit_reached",
    `Your ${input.planName} plan includes ${seats}, all taken (${taken}), so you cannot ${input.doing}. ${upgrade}.`,
    {
      nextStep: next
        ? `${upgrade} at ${upgradeUrl()}, or withdraw a pending invitation or remove a member.`
        : "Withdraw a pending invitation or remove a member.",
      details: {
        seats: usage.limit,
        used: usage.used,
        members: usage.members,
        pending_invitations: usage.pending,
        next_plan: next ? { id: next.id, name: next.name, seats: next.limit } : null,
        upgrade_url: upgradeUrl(),
      },
    },
  );
}
