import { apiRoute } from "@/lib/api/v1";
import { refund } from "@/lib/credits";
import { refundBody } from "@/lib/metering/schemas";

/** Reverse a completed event; credits return to where they came from. Refunding twice is harmless. */
export const POST = apiRoute<typeof refundBody, { id: string }>({ limit: "read", body: refundBody }, async ({ body, client, workspaceId, params }) => {
  const r = await refund({ workspaceId, eventId: params.id, actor: { apiClientId: client.id }, reason: body.reason });
  return {
    status: 200,
    body: { event_id: r.eventId, status: "refunded", credits_refunded: r.credits, to_original_grants: r.toOriginalGrants, to_bonus_grant: r.toBonusGrant, replayed: r.replayed },
  };
});
