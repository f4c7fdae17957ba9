import { apiRoute } from "@/lib/api/v1";
import { debit } from "@/lib/credits";
import { assertActionAllowed } from "@/lib/metering/keys";
import { chargeInput } from "@/lib/metering/requests";
import { chargeResponse } from "@/lib/metering/responses";
import { trackBody } from "@/lib/metering/schemas";

/** Debit an action: 201 charged, 200 idempotent repeat, 202 queued, 402/429 out of credits. */
export const POST = apiRoute({ limit: "action", body: trackBody }, async ({ body, client, workspaceId }) => {
  assertActionAllowed(client, body.action);
  return chargeResponse(await debit(await chargeInput(body, client, workspaceId)), workspaceId, "track");
});
