"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AppError, fieldErrors } from "@/lib/errors";
import { requireWorkspace } from "@/lib/auth/session";
import { createInvitation, inviteEmail, renewInvitation, revokeInvitation } from "@/lib/teams/invitations";
import { changeRole, leaveWorkspace, removeMember } from "@/lib/teams/members";
import type { TeamActionResult } from "@/components/members/types";

const PATH = "/settings/members";

function failure(err: unknown): TeamActionResult {
  if (err instanceof AppError) {
    if (err.code === "seat_limit_reached") {
      const next = err.options.details?.next_plan as { name: string } | null | undefined;
      return { ok: false, message: err.message, upgrade: { planName: next?.name ?? null, href: "/settings/billing#plans" } };
    }
  }
  return actionFailure(err);
}

const inviteSchema = z.object({ email: inviteEmail, role: z.enum(["OWNER", "MEMBER"], "Choose a role.") });

export async function inviteAction(formData: FormData): Promise<TeamActionResult> {
  try {
    const { user, workspace } = await requireWorkspace({ renderedFor: formData });
    const parsed = inviteSchema.safeParse({ email: formData.get("email") ?? "", role: formData.get("role") ?? "MEMBER" });
    if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error.issues) };
    const created = await createInvitation({ workspaceId: workspace.id, actorUserId: user.id, email: parsed.data.email, role: parsed.data.role });
    revalidatePath(PATH);
    return { ok: true, url: created.url, email: created.invitation.email, mailed: created.mailed };
  } catch (err) {
    return failure(err);
  }
}

export async function renewInvitationAction(formData: FormData): Promise<TeamActionResult> {
  try {
    const { user, workspace } = await requireWorkspace({ renderedFor: formData });
    const created = await renewInvitation({ workspaceId: workspace.id, actorUserId: user.id, invitationId: String(formData.get("id") ?? "") });
    revalidatePath(PATH);
    return { ok: true, url: created.url, email: created.invitation.email, mailed: created.mailed };
  } catch (err) {
    return failure(err);
  }
}

export async function revokeInvitationAction(formData: FormData): Promise<TeamActionResult> {
  try {
    const { user, workspace } = await requireWorkspace({ renderedFor: formData });
    await revokeInvitation({ workspaceId: workspace.id, actorUserId: user.id, invitationId: String(formData.get("id") ?? "") });
    revalidatePath(PATH);
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}

export async function changeRoleAction(formData: FormData): Promise<TeamActionResult> {
  try {
    const { user, workspace } = await requireWorkspace({ renderedFor: formData });
    const role = z.enum(["OWNER", "MEMBER"]).safeParse(formData.get("role"));
    if (!role.success) return { ok: false, message: "Choose a role." };
    await changeRole({ workspaceId: workspace.id, actorUserId: user.id, membershipId: String(formData.get("id") ?? ""), role: role.data });
    revalidatePath(PATH);
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}

export async function removeMemberAction(formData: FormData): Promise<TeamActionResult> {
  try {
    const { user, workspace } = await requireWorkspace({ renderedFor: formData });
    await removeMember({ workspaceId: workspace.id, actorUserId: user.id, membershipId: String(formData.get("id") ?? "") });
    revalidatePath(PATH);
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}

/** Leaves the current workspace; the next page falls back to another one (lib/auth/session.ts). */
export async function leaveWorkspaceAction(formData: FormData): Promise<TeamActionResult> {
  try {
    const { user, workspace } = await requireWorkspace({ renderedFor: formData });
    await leaveWorkspace({ workspaceId: workspace.id, userId: user.id });
  } catch (err) {
    return failure(err);
  }
  redirect("/settings/billing");
}
