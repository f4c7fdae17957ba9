import { actionRoute } from "@/lib/api/v1";
import { chargeResponse } from "@/lib/metering/responses";
import { reserveBody } from "@/lib/metering/schemas";

/** Hold credits for async work (the action's reserve price, or `estimate`); commit or release it later. */
export const POST = actionRoute({ body: reserveBody, hold: true }, async ({ result, workspaceId }) => {
  return chargeResponse(result, workspaceId, "reservation");
});
