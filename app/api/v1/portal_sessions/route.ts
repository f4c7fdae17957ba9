import { apiRoute } from "@/lib/api/v1";
import { createPortalSession } from "@/lib/portal-sessions/sessions";
import { createPortalSessionBody } from "@/lib/portal-sessions/schemas";

/** A single-use billing link for one of the AI product's users (docs/decisions/019-portal-sessions.md). */
export const POST = apiRoute({ limit: "read", body: createPortalSessionBody }, ({ client, workspaceId, body }) =>
  createPortalSession({ client, workspaceId, body }),
);
