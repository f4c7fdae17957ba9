import { apiRoute } from "@/lib/api/v1";
import { commitReservation } from "@/lib/credits";
import { commitResponse } from "@/lib/metering/responses";
import { commitBody } from "@/lib/metering/schemas";

/** Charge the actual credits used; the rest of the hold is released. */
export const POST = apiRoute<typeof commitBody, { id: string }>(
  { limit: "read", body: commitBody },
  async ({ body, client, workspaceId, params }) =>
    commitResponse(
      await commitReservation({ workspaceId, reservationId: params.id, actual: body.actual, actor: { apiClientId: client.id } }),
    ),
);
