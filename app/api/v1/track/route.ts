import { apiRoute } from "@/lib/api/v1";
import { debit } from "@/lib/credits";
import { assertActionAllowed } from "@/lib/metering/keys";
import { chargeInput } from "@/lib/metering/requests";
import { chargeResponse } from "@/lib/metering/responses";
import { trackBody } from "@/lib/metering/schemas";
import { trackDenied } from "@/lib/x402/track";

/** Debit an action: 201 charged (or paid with x402), 200 idempotent repeat, 202 queued, 402/429 out of credits. */
export const POST = apiRoute({ limit: "action", body: trackBody }, async ({ req, body, client, workspaceId }) => {
  assertActionAllowed(client, body.action);
  const input = await chargeInput(body, client, workspaceId);
  const result = await debit(input);
  if (result.outcome === "denied") return trackDenied(req, input, result);
  return chargeResponse(result, workspaceId, "track");
});
