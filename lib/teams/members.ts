import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";
import { lockTeam, ownerCount, requireRole } from "@/lib/teams/lock";
import { seatUsage, type SeatUsage } from "@/lib/teams/seats";

/**
 * The members of a workspace and what owners may do to them. Every change takes the team lock
 * (lib/teams/lock.ts) and re-reads roles under it, so "a workspace always keeps an owner" holds even
 * when two owners demote each other at the same moment: the second one sees the first's change.
 * Every lookup is by (id, workspaceId): an owner of one workspace cannot touch another's members.
 */

export type MemberRow = { id: string; userId: string; email: string; name: string | null; role: Role; joinedAt: Date };

export async function listMembers(workspaceId: string): Promise<MemberRow[]> {
  const rows = await db.membership.findMany({
    where: { workspaceId },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: { id: true, userId: true, role: true, createdAt: true, user: { select: { email: true, name: true } } },
  });
  return rows.map((m) => ({ id: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
}

export async function teamSeats(workspaceId: string, at = now()): Promise<SeatUsage> {
  return seatUsage(db, workspaceId, at);
}

/** The workspaces a user belongs to (for the switcher), owned ones first, then by name. */
export async function listMyWorkspaces(userId: string): Promise<{ id: string; name: string; role: Role }[]> {
  const rows = await db.membership.findMany({ where: { userId }, select: { role: true, workspace: { select: { id: true, name: true } } } });
  return rows
    .map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role }))
    .sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === "OWNER" ? -1 : 1));
}

const LAST_OWNER_STEP = "Make another member an owner first.";

/**
 * What someone loses when they stop being an owner of a workspace — they leave, are removed, delete
 * their account, or are demoted to member: the workspace keys they created there (a removed teammate
 * could otherwise go on spending the workspace's credits) and the invitations they sent that are still
 * open (a link they kept could otherwise bring them, or anyone they chose, back in — as an owner).
 * Revoked in the transaction that changes the membership; what other owners made is untouched.
 */
export async function revokeOwnerPowers(
  tx: Tx,
  workspaceId: string,
  userId: string,
  at: Date,
): Promise<{ keys: number; invitations: number }> {
  const keys = await tx.apiClient.updateMany({
    where: { workspaceId, kind: "WORKSPACE", createdById: userId, revokedAt: null },
    data: { revokedAt: at },
  });
  const invitations = await tx.invitation.updateMany({
    where: { workspaceId, invitedById: userId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: at },
  });
  return { keys: keys.count, invitations: invitations.count };
}

/** Under the team lock, with the actor checked to be an owner: the member being changed (404 when not in the workspace). */
async function memberForOwner(tx: Tx, input: { workspaceId: string; actorUserId: string; membershipId: string }) {
  await lockTeam(tx, input.workspaceId);
  await requireRole(tx, input.workspaceId, input.actorUserId, "OWNER");
  const target = await tx.membership.findFirst({
    where: { id: input.membershipId, workspaceId: input.workspaceId },
    select: { id: true, role: true, userId: true },
  });
  if (!target) throw new AppError("not_found", "No such member in this workspace.");
  return target;
}

/** 409 last_owner when `target` is the workspace's only owner (demoting or removing them would leave none). */
async function refuseLastOwner(tx: Tx, workspaceId: string, target: { role: Role }): Promise<void> {
  if (target.role === "OWNER" && (await ownerCount(tx, workspaceId)) === 1) {
    throw new AppError("last_owner", "A workspace needs at least one owner: this is the only one.", { nextStep: LAST_OWNER_STEP });
  }
}

/** An owner changes a member's role. Demoting the only owner is refused (409 `last_owner`). */
export async function changeRole(input: { workspaceId: string; actorUserId: string; membershipId: string; role: Role }): Promise<void> {
  await db.$transaction(async (tx) => {
    const target = await memberForOwner(tx, input);
    if (target.role === input.role) return;
    await refuseLastOwner(tx, input.workspaceId, target);
    await tx.membership.update({ where: { id: target.id }, data: { role: input.role } });
    // A demoted owner may no longer make keys or invite: what they made that way stops with the role.
    if (target.role === "OWNER") await revokeOwnerPowers(tx, input.workspaceId, target.userId, now());
  });
}

/** An owner removes a member (another owner included), revoking the keys and open invitations they created. Removing the only owner is refused. */
export async function removeMember(input: { workspaceId: string; actorUserId: string; membershipId: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const target = await memberForOwner(tx, input);
    await refuseLastOwner(tx, input.workspaceId, target);
    await tx.membership.delete({ where: { id: target.id } });
    await revokeOwnerPowers(tx, input.workspaceId, target.userId, now());
  });
}

/** Any member leaves a workspace, revoking the keys and open invitations they created there; its only owner cannot (409 `last_owner`). */
export async function leaveWorkspace(input: { workspaceId: string; userId: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockTeam(tx, input.workspaceId);
    const role = await requireRole(tx, input.workspaceId, input.userId);
    if (role === "OWNER" && (await ownerCount(tx, input.workspaceId)) === 1) {
      throw new AppError("last_owner", "You are the only owner of this workspace, so you cannot leave it.", { nextStep: LAST_OWNER_STEP });
    }
    await tx.membership.delete({ where: { userId_workspaceId: { userId: input.userId, workspaceId: input.workspaceId } } });
    await revokeOwnerPowers(tx, input.workspaceId, input.userId, now());
  });
}

/** The workspace's plan (for the seat line and the upgrade prompt of the members page). */
export async function workspacePlan(workspaceId: string): Promise<{ id: string; name: string; seats: number | null }> {
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { plan: { select: { id: true, name: true, seats: true } } },
  });
  return workspace.plan;
}
