import { actionRoute } from "@/lib/api/v1";
import { chargeResponse } from "@/lib/metering/responses";
import { trackBody } from "@/lib/metering/schemas";
import { trackDenied } from "@/lib/x402/track";

/** Debit an action: 201 charged (or paid with x402), 200 idempotent repeat, 202 queued, 402/429 out of credits. */
export const POST = actionRoute({ body: trackBody, hold: false }, async ({ req, input, result, workspaceId }) => {
  if (result.outcome === "denied") return trackDenied(req, input, result);
  return chargeResponse(result, workspaceId, "track");
});
