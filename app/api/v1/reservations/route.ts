import { actionRoute } from "@/lib/api/v1";
import { chargeResponse } from "@/lib/metering/responses";
import { acceptReserveBody, reserveBody } from "@/lib/metering/schemas";

// As /api/ping: always dynamic, so Next hands the handler the request itself, not a proxy tracking
// which of its parts a static render would have read.
export const dynamic = "force-dynamic";

/** Hold credits for async work (the action's reserve price, or `estimate`); commit or release it later. */
export const POST = actionRoute({ body: reserveBody, accept: acceptReserveBody, hold: true }, async ({ result, workspaceId }) => {
  return chargeResponse(result, workspaceId, "reservation");
});
