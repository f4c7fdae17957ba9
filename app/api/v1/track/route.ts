import { actionRoute } from "@/lib/api/v1";
import { chargeResponse } from "@/lib/metering/responses";
import { acceptTrackBody, trackBody } from "@/lib/metering/schemas";
import { trackDenied } from "@/lib/x402/track";

// As /api/ping: always dynamic, so Next hands the handler the request itself, not a proxy tracking
// which of its parts a static render would have read.
export const dynamic = "force-dynamic";

/** Debit an action: 201 charged (or paid with x402), 200 idempotent repeat, 202 queued, 402/429 out of credits. */
export const POST = actionRoute({ body: trackBody, accept: acceptTrackBody, hold: false }, async ({ req, input, result, workspaceId }) => {
  if (result.outcome === "denied") return trackDenied(req, input, result);
  return chargeResponse(result, workspaceId, "track");
});
