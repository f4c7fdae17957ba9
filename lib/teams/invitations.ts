import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { outboxVisible, sendMail } from "@/lib/mail";
import { invitationMail } from "@/lib/mail/templates";
import { db, type Tx } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";
import { lockTeam, requireRole } from "@/lib/teams/lock";
import { assertSeats, seatUsage } from "@/lib/teams/seats";

/**
 * Invitations to a workspace (Settings → Members). An owner invites an email with a role; the link
 * /invite/<token> is shown to copy (no mail server needed; a mail outbox can send `url` later). The
 * token is 256 random bits and only its sha-256 is stored, so the database alone cannot accept an
 * invitation. A link is single-use, expires after 7 days, and only a signed-in user with the invited
 * email can accept it. A pending invitation holds a seat.
 */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const inviteEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter an email address, e.g. name@example.com.").max(254, "Use at most 254 characters."));

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function invitationUrl(token: string): string {
  return appUrl(`/invite/${token}`);
}

export type CreatedInvitation = {
  invitation: { id: string; workspaceId: string; email: string; role: Role; expiresAt: Date };
  /** The secret of the link: returned once, never stored. */
  token: string;
  url: string;
};

/**
 * An owner's invitation: also whether its mail went out (SMTP took it, or in demo and test mode it
 * reached the outbox at /dev/mail), so the portal says "mailed" only when it was.
 */
export type SentInvitation = CreatedInvitation & { mailed: boolean };

async function issue(
  tx: Tx,
  input: { workspaceId: string; email: string; role: Role; invitedById: string | null; at: Date },
): Promise<CreatedInvitation> {
  const token = randomBytes(32).toString("base64url");
  const invitation = await tx.invitation.create({
    data: {
      workspaceId: input.workspaceId,
      email: input.email,
      role: input.role,
      tokenHash: hashInvitationToken(token),
      invitedById: input.invitedById,
      createdAt: input.at,
      expiresAt: new Date(input.at.getTime() + INVITATION_TTL_MS),
    },
    select: { id: true, workspaceId: true, email: true, role: true, expiresAt: true },
  });
  return { invitation, token, url: invitationUrl(token) };
}

/**
 * An owner invites `email` as `role`. Inviting an address that has an open invitation replaces it
 * (the old link stops working, its seat is reused); a member's address is refused (409); with the
 * plan's seats taken, 402 `seat_limit_reached` names the plan that has more.
 * Safe under races: the team lock (lockTeam) serialises invitations of a workspace, and the partial
 * unique index Invitation_open_email_key allows one open invitation per email whatever happens.
 */
export async function createInvitation(input: {
  workspaceId: string;
  actorUserId: string;
  email: string;
  role: Role;
  at?: Date;
}): Promise<SentInvitation> {
  const parsed = inviteEmail.safeParse(input.email);
  if (!parsed.success)
    throw new AppError("invalid_request", parsed.error.issues[0]?.message ?? "Enter an email address.", { details: { field: "email" } });
  const email = parsed.data;
  const at = input.at ?? now();
  const created = await db.$transaction(async (tx) => {
    const workspace = await lockTeam(tx, input.workspaceId);
    await requireRole(tx, input.workspaceId, input.actorUserId, "OWNER");
    const member = await tx.membership.findFirst({ where: { workspaceId: input.workspaceId, user: { email } }, select: { id: true } });
    if (member) throw new AppError("conflict", `${email} is already a member of ${workspace.name}.`, { details: { field: "email" } });
    // The open invitation for this email (if any) is withdrawn first: the new one takes its seat.
    await tx.invitation.updateMany({
      where: { workspaceId: input.workspaceId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: at },
    });
    const usage = await seatUsage(tx, input.workspaceId, at);
    const plan = await tx.plan.findUniqueOrThrow({ where: { id: workspace.planId }, select: { name: true } });
    await assertSeats({ planId: workspace.planId, planName: plan.name, usage, needed: usage.used + 1, doing: `invite ${email}` });
    return issue(tx, { workspaceId: input.workspaceId, email, role: input.role, invitedById: input.actorUserId, at });
  });
  // After the commit: the mail carries the same link the owner sees to copy (outbox without SMTP).
  const [workspace, inviter] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: input.workspaceId }, select: { name: true } }),
    db.user.findUniqueOrThrow({ where: { id: input.actorUserId }, select: { name: true, email: true } }),
  ]);
  const sent = await sendMail({
    to: email,
    kind: "invitation",
    ...invitationMail({
      url: created.url,
      workspaceName: workspace.name,
      inviter: inviter.name ?? inviter.email,
      role: input.role,
      days: INVITATION_TTL_MS / 86_400_000,
    }),
  });
  return { ...created, mailed: sent.delivered || (outboxVisible() && sent.id !== null && sent.error === null) };
}

/**
 * A platform key created a workspace for `email` (PUT /api/v1/workspaces/{external_id} with
 * owner_email): the person is invited as its owner, never made one without their consent — the link
 * is mailed, and only a signed-in user with that address can accept it. No sender (invitedById null):
 * the platform is not a member. Call inside the transaction that creates the workspace; mail with
 * `mailPlatformInvitation` after it commits.
 */
export async function invitePlatformOwner(tx: Tx, input: { workspaceId: string; email: string; at: Date }): Promise<CreatedInvitation> {
  const parsed = inviteEmail.safeParse(input.email);
  if (!parsed.success)
    throw new AppError("invalid_request", parsed.error.issues[0]?.message ?? "Enter an email address.", {
      details: { field: "owner_email" },
    });
  return issue(tx, { workspaceId: input.workspaceId, email: parsed.data, role: "OWNER", invitedById: null, at: input.at });
}

export async function mailPlatformInvitation(created: CreatedInvitation, workspaceName: string): Promise<void> {
  await sendMail({
    to: created.invitation.email,
    kind: "invitation",
    ...invitationMail({
      url: created.url,
      workspaceName,
      inviter: "The service you use",
      role: "OWNER",
      days: INVITATION_TTL_MS / 86_400_000,
    }),
  });
}

/**
 * A new link for an invitation (the old one stops working): the same email and role, 7 more days.
 * Owners only, checked before the invitation is looked up (as revokeInvitation does): anyone else gets
 * the same 403 whether the id names a pending invitation or not.
 */
export async function renewInvitation(input: {
  workspaceId: string;
  actorUserId: string;
  invitationId: string;
  at?: Date;
}): Promise<SentInvitation> {
  await requireRole(db, input.workspaceId, input.actorUserId, "OWNER");
  const old = await db.invitation.findFirst({
    where: { id: input.invitationId, workspaceId: input.workspaceId, acceptedAt: null, revokedAt: null },
    select: { email: true, role: true },
  });
  if (!old) throw new AppError("not_found", "No such pending invitation in this workspace.");
  return createInvitation({
    workspaceId: input.workspaceId,
    actorUserId: input.actorUserId,
    email: old.email,
    role: old.role,
    at: input.at,
  });
}

/** Withdraws a pending invitation: its link stops working and its seat is free. */
export async function revokeInvitation(input: {
  workspaceId: string;
  actorUserId: string;
  invitationId: string;
  at?: Date;
}): Promise<void> {
  const at = input.at ?? now();
  await db.$transaction(async (tx) => {
    await lockTeam(tx, input.workspaceId);
    await requireRole(tx, input.workspaceId, input.actorUserId, "OWNER");
    const { count } = await tx.invitation.updateMany({
      where: { id: input.invitationId, workspaceId: input.workspaceId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: at },
    });
    if (count === 0) throw new AppError("not_found", "No such pending invitation in this workspace.");
  });
}

export type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  expired: boolean;
  invitedBy: string | null;
};

/** Open invitations of a workspace (expired ones too, so an owner can send a new link), newest first. */
export async function listInvitations(workspaceId: string, at = now()): Promise<InvitationRow[]> {
  const rows = await db.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, invitedById: true },
  });
  const inviters = await db.user.findMany({
    where: { id: { in: rows.flatMap((r) => (r.invitedById ? [r.invitedById] : [])) } },
    select: { id: true, email: true },
  });
  const emailOf = new Map(inviters.map((u) => [u.id, u.email]));
  return rows.map(({ invitedById, ...r }) => ({
    ...r,
    expired: r.expiresAt <= at,
    invitedBy: invitedById ? (emailOf.get(invitedById) ?? null) : null,
  }));
}

export type InvitationState = "pending" | "accepted" | "revoked" | "expired";
export type InvitationView = {
  state: InvitationState;
  email: string;
  role: Role;
  workspace: { id: string; name: string };
  invitedBy: { email: string; name: string | null } | null;
  expiresAt: Date;
};

function stateOf(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, at: Date): InvitationState {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt <= at) return "expired";
  return "pending";
}

const UNAVAILABLE: Record<Exclude<InvitationState, "pending">, string> = {
  accepted: "This invitation link has already been used.",
  revoked: "This invitation was withdrawn, or replaced by a newer link.",
  expired: "This invitation link has expired.",
};

export function unavailableMessage(state: Exclude<InvitationState, "pending">): string {
  return UNAVAILABLE[state];
}

/** What the accept page shows for a token: null when no invitation has it. */
export async function findInvitation(token: string, at = now()): Promise<InvitationView | null> {
  if (!token || token.length > 200) return null;
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    select: {
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      invitedById: true,
      workspace: { select: { id: true, name: true } },
    },
  });
  if (!inv) return null;
  const inviter = inv.invitedById
    ? await db.user.findUnique({ where: { id: inv.invitedById }, select: { email: true, name: true } })
    : null;
  return {
    state: stateOf(inv, at),
    email: inv.email,
    role: inv.role,
    workspace: inv.workspace,
    invitedBy: inviter,
    expiresAt: inv.expiresAt,
  };
}

export type Accepted = { workspaceId: string; workspaceName: string; role: Role; alreadyMember: boolean };

/**
 * The signed-in user accepts an invitation. Refused when the link is unknown (404), used, withdrawn
 * or expired (410 `invitation_unavailable`), when the user's email is not the invited one (403, saying
 * which address to use), or when the plan's seats have shrunk below the members it would make (402).
 * Single-use: the UPDATE … WHERE "acceptedAt" IS NULL claims the invitation exactly once, and the team
 * lock orders it against other changes; an invitee who is a member already uses it up and stays as is.
 */
export async function acceptInvitation(input: { token: string; userId: string; at?: Date }): Promise<Accepted> {
  const at = input.at ?? now();
  const tokenHash = hashInvitationToken(input.token);
  const found = await db.invitation.findUnique({ where: { tokenHash }, select: { workspaceId: true } });
  if (!found)
    throw new AppError("not_found", "This invitation link is not valid.", { nextStep: "Ask an owner of the workspace for a new link." });
  return db.$transaction(async (tx) => {
    const workspace = await lockTeam(tx, found.workspaceId);
    const inv = await tx.invitation.findUniqueOrThrow({ where: { tokenHash } });
    const state = stateOf(inv, at);
    if (state !== "pending") {
      throw new AppError("invitation_unavailable", unavailableMessage(state), {
        nextStep: "Ask an owner of the workspace for a new link.",
        details: { state },
      });
    }
    // Only an owner's invitation counts: one whose sender has since left or been demoted was revoked
    // with that change (lib/teams/members.ts revokeOwnerPowers); this also holds for links sent before that rule.
    if (inv.invitedById) {
      const sender = await tx.membership.findUnique({
        where: { userId_workspaceId: { userId: inv.invitedById, workspaceId: inv.workspaceId } },
        select: { role: true },
      });
      if (sender?.role !== "OWNER") {
        throw new AppError("invitation_unavailable", unavailableMessage("revoked"), {
          nextStep: "Ask an owner of the workspace for a new link.",
          details: { state: "revoked" },
        });
      }
    }
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
    if (user.email !== inv.email) {
      throw new AppError("forbidden", `This invitation is for ${inv.email}, but you are signed in as ${user.email}.`, {
        nextStep: `Sign out, then sign in or create an account as ${inv.email}.`,
        details: { invited_email: inv.email },
      });
    }
    const existing = await tx.membership.findUnique({
      where: { userId_workspaceId: { userId: input.userId, workspaceId: inv.workspaceId } },
      select: { role: true },
    });
    if (!existing) {
      // Members after joining must fit the plan's seats (other pending invitations do not count here:
      // each was within the limit when it was made). Only a plan downgraded since can refuse.
      const usage = await seatUsage(tx, inv.workspaceId, at);
      const plan = await tx.plan.findUniqueOrThrow({ where: { id: workspace.planId }, select: { name: true } });
      await assertSeats({
        planId: workspace.planId,
        planName: plan.name,
        usage: { ...usage, pending: 0, used: usage.members },
        needed: usage.members + 1,
        doing: "add a member",
      });
    }
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: at } },
      data: { acceptedAt: at, acceptedById: input.userId },
    });
    if (claimed.count !== 1)
      throw new AppError("invitation_unavailable", unavailableMessage("accepted"), { details: { state: "accepted" } });
    if (!existing)
      await tx.membership.create({ data: { userId: input.userId, workspaceId: inv.workspaceId, role: inv.role, createdAt: at } });
    return {
      workspaceId: inv.workspaceId,
      workspaceName: workspace.name,
      role: existing?.role ?? inv.role,
      alreadyMember: Boolean(existing),
    };
  });
}

/** Whether the invited address has an account already (the accept page offers sign-in, else sign-up). */
export async function hasAccount(email: string): Promise<boolean> {
  return (await db.user.findUnique({ where: { email }, select: { id: true } })) !== null;
}
