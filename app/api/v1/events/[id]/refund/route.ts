import { apiRoute } from "@/lib/api/v1";
import { refund } from "@/lib/credits";
import { refundResponse } from "@/lib/metering/responses";
import { refundBody } from "@/lib/metering/schemas";

/** Reverse a completed event; credits return to where they came from. Refunding twice is harmless. */
export const POST = apiRoute<typeof refundBody, { id: string }>(
  { limit: "read", body: refundBody },
  async ({ body, client, workspaceId, params }) =>
    refundResponse(await refund({ workspaceId, eventId: params.id, actor: { apiClientId: client.id }, reason: body.reason })),
);
