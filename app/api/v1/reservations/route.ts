import { apiRoute } from "@/lib/api/v1";
import { reserve } from "@/lib/credits";
import { assertActionAllowed } from "@/lib/metering/keys";
import { chargeInput } from "@/lib/metering/requests";
import { chargeResponse } from "@/lib/metering/responses";
import { reserveBody } from "@/lib/metering/schemas";

/** Hold credits for async work (the action's reserve price, or `estimate`); commit or release it later. */
export const POST = apiRoute({ limit: "action", body: reserveBody }, async ({ body, client, workspaceId }) => {
  assertActionAllowed(client, body.action);
  const result = await reserve({ ...(await chargeInput(body, client, workspaceId)), estimate: body.estimate, pendingLimit: client.maxPending });
  return chargeResponse(result, workspaceId, "reservation");
});
