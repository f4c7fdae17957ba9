"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { formText, workspaceAction } from "@/lib/actions";
import { AppError, fieldErrors } from "@/lib/errors";
import { createInvitation, inviteEmail, renewInvitation, revokeInvitation } from "@/lib/teams/invitations";
import { changeRole, leaveWorkspace, removeMember } from "@/lib/teams/members";
import type { TeamActionResult } from "@/components/members/types";

/** A seat limit answers with the next plan and a link to upgrade; other errors as every form does. */
function seatLimit(err: unknown): TeamActionResult | null {
  if (!(err instanceof AppError) || err.code !== "seat_limit_reached") return null;
  const next = err.options.details?.next_plan as { name: string } | null | undefined;
  return { ok: false, message: err.message, upgrade: { planName: next?.name ?? null, href: "/settings/billing#plans" } };
}

/** Any member may call these; lib/teams checks who may do what (owners invite, change roles, remove). */
const MEMBERS = { revalidate: "/settings/members", failure: seatLimit };

const inviteSchema = z.object({ email: inviteEmail, role: z.enum(["OWNER", "MEMBER"], "Choose a role.") });

export const inviteAction = workspaceAction(MEMBERS, async ({ user, workspace }, formData): Promise<TeamActionResult> => {
  const parsed = inviteSchema.safeParse({ email: formData.get("email") ?? "", role: formData.get("role") ?? "MEMBER" });
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error.issues) };
  const created = await createInvitation({
    workspaceId: workspace.id,
    actorUserId: user.id,
    email: parsed.data.email,
    role: parsed.data.role,
  });
  return { ok: true, url: created.url, email: created.invitation.email, mailed: created.mailed };
});

export const renewInvitationAction = workspaceAction(MEMBERS, async ({ user, workspace }, formData): Promise<TeamActionResult> => {
  const created = await renewInvitation({ workspaceId: workspace.id, actorUserId: user.id, invitationId: formText(formData, "id") });
  return { ok: true, url: created.url, email: created.invitation.email, mailed: created.mailed };
});

export const revokeInvitationAction = workspaceAction(MEMBERS, async ({ user, workspace }, formData): Promise<TeamActionResult> => {
  await revokeInvitation({ workspaceId: workspace.id, actorUserId: user.id, invitationId: formText(formData, "id") });
  return { ok: true };
});

export const changeRoleAction = workspaceAction(MEMBERS, async ({ user, workspace }, formData): Promise<TeamActionResult> => {
  const role = z.enum(["OWNER", "MEMBER"]).safeParse(formData.get("role"));
  if (!role.success) return { ok: false, message: "Choose a role." };
  await changeRole({ workspaceId: workspace.id, actorUserId: user.id, membershipId: formText(formData, "id"), role: role.data });
  return { ok: true };
});

export const removeMemberAction = workspaceAction(MEMBERS, async ({ user, workspace }, formData): Promise<TeamActionResult> => {
  await removeMember({ workspaceId: workspace.id, actorUserId: user.id, membershipId: formText(formData, "id") });
  return { ok: true };
});

/** Leaves the current workspace; the next page falls back to another one (lib/auth/session.ts). */
export const leaveWorkspaceAction = workspaceAction({ failure: seatLimit }, async ({ user, workspace }): Promise<TeamActionResult> => {
  await leaveWorkspace({ workspaceId: workspace.id, userId: user.id });
  redirect("/settings/billing");
});
