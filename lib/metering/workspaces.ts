import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { createWorkspace } from "@/lib/workspaces/create";
import { invitePlatformOwner, mailPlatformInvitation } from "@/lib/teams/invitations";
import { assertExternalIdAllowed } from "@/lib/workspaces/external-ids";

/**
 * PUT /api/v1/workspaces/{external_id} (platform keys): the AI product's own customer becomes a
 * workspace on the Free plan with the sign-up bonus. With owner_email, that person is invited as its
 * owner (a mailed link they accept), never made one without their consent: a platform key must not be
 * able to put a workspace into anyone's account. Idempotent: an existing workspace is returned (and
 * renamed when a name is given).
 * Ids in the reserved `x402:` space are refused first (lib/workspaces/external-ids.ts), before the
 * character check, so a padded or look-alike spelling gets the same clear answer.
 */
export async function upsertExternalWorkspace(input: { externalId: string; name?: string; ownerEmail?: string }) {
  assertExternalIdAllowed(input.externalId);
  if (!/^[\w.:@-]{1,200}$/.test(input.externalId)) {
    throw new AppError("invalid_request", "external_id may use letters, digits and . _ : @ - (at most 200).", {
      details: { field: "external_id" },
    });
  }
  const existing = await db.workspace.findUnique({ where: { externalId: input.externalId }, select: { id: true, name: true } });
  if (existing) {
    if (input.name && input.name !== existing.name) await db.workspace.update({ where: { id: existing.id }, data: { name: input.name } });
    return { workspaceId: existing.id, created: false, ownerInvitation: null };
  }
  try {
    const at = now();
    const name = input.name ?? input.externalId;
    const { workspace, invitation } = await db.$transaction(async (tx) => {
      const workspace = await createWorkspace(tx, { name, externalId: input.externalId, at });
      const invitation = input.ownerEmail
        ? await invitePlatformOwner(tx, { workspaceId: workspace.id, email: input.ownerEmail, at })
        : null;
      return { workspace, invitation };
    });
    if (invitation) await mailPlatformInvitation(invitation, name);
    return {
      workspaceId: workspace.id,
      created: true,
      ownerInvitation: invitation ? { email: invitation.invitation.email, expiresAt: invitation.invitation.expiresAt } : null,
    };
  } catch (err) {
    // Two upserts of the same external id at once: the unique index lets one create it.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const winner = await db.workspace.findUniqueOrThrow({ where: { externalId: input.externalId }, select: { id: true } });
      return { workspaceId: winner.id, created: false, ownerInvitation: null };
    }
    throw err;
  }
}
