import { apiRoute } from "@/lib/api/v1";
import { AppError } from "@/lib/errors";
import { upsertExternalWorkspace } from "@/lib/metering/workspaces";
import { workspaceUpsertResponse } from "@/lib/metering/responses";
import { upsertWorkspaceBody } from "@/lib/metering/schemas";

/** Platform keys: create (201) or find (200) the workspace of one of the AI product's customers. */
export const PUT = apiRoute<typeof upsertWorkspaceBody, { external_id: string }>(
  { limit: "read", body: upsertWorkspaceBody, workspace: false },
  async ({ client, body, params }) => {
    if (client.kind !== "PLATFORM")
      throw new AppError("forbidden", "Only platform keys can create workspaces.", { nextStep: "Ask an operator for a platform key." });
    return workspaceUpsertResponse(
      params.external_id,
      await upsertExternalWorkspace({ externalId: params.external_id, name: body.name, ownerEmail: body.owner_email }),
    );
  },
);
