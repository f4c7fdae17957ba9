import { apiRoute } from "@/lib/api/v1";
import { revokePortalSession } from "@/lib/portal-sessions/sessions";
import { revokePortalSessionBody } from "@/lib/portal-sessions/schemas";

/** Ends a portal link or session at once; revoking twice is harmless (replayed: true). */
export const POST = apiRoute<typeof revokePortalSessionBody, { id: string }>(
  { limit: "read", body: revokePortalSessionBody },
  ({ workspaceId, params }) => revokePortalSession({ workspaceId, id: params.id }),
);
