import { apiRoute } from "@/lib/api/v1";
import { releaseReservation } from "@/lib/credits";
import { workspaceOnlyBody } from "@/lib/metering/schemas";

/** The work failed: return the whole hold. Releasing twice is harmless. */
export const POST = apiRoute<typeof workspaceOnlyBody, { id: string }>({ limit: "read", body: workspaceOnlyBody }, async ({ workspaceId, params }) => {
  const r = await releaseReservation({ workspaceId, reservationId: params.id });
  return { status: 200, body: { reservation_id: r.eventId, status: "released", credits_released: r.released, replayed: r.replayed } };
});
