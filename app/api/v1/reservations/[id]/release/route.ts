import { apiRoute } from "@/lib/api/v1";
import { releaseReservation } from "@/lib/credits";
import { releaseResponse } from "@/lib/metering/responses";
import { workspaceOnlyBody } from "@/lib/metering/schemas";

/** The work failed: return the whole hold. Releasing twice is harmless. */
export const POST = apiRoute<typeof workspaceOnlyBody, { id: string }>(
  { limit: "read", body: workspaceOnlyBody },
  async ({ workspaceId, params }) => releaseResponse(await releaseReservation({ workspaceId, reservationId: params.id })),
);
