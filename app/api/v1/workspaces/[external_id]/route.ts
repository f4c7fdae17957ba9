import { apiRoute } from "@/lib/api/v1";
import { AppError } from "@/lib/errors";
import { upsertExternalWorkspace } from "@/lib/metering/workspaces";
import { upsertWorkspaceBody } from "@/lib/metering/schemas";

/** Platform keys: create (201) or find (200) the workspace of one of the AI product's customers. */
export const PUT = apiRoute<typeof upsertWorkspaceBody, { external_id: string }>(
  { limit: "read", body: upsertWorkspaceBody, workspace: false },
  async ({ client, body, params }) => {
    if (client.kind !== "PLATFORM") throw new AppError("forbidden", "Only platform keys can create workspaces.", { nextStep: "Ask an operator for a platform key." });
    const r = await upsertExternalWorkspace({ externalId: params.external_id, name: body.name, ownerEmail: body.owner_email });
    const invitation = r.ownerInvitation ? { owner_invitation: { email: r.ownerInvitation.email, expires_at: r.ownerInvitation.expiresAt.toISOString() } } : {};
    return { status: r.created ? 201 : 200, body: { workspace_id: r.workspaceId, external_id: params.external_id, created: r.created, ...invitation } };
  },
);
