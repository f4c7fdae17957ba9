import { apiRoute } from "@/lib/api/v1";
import { reserve } from "@/lib/credits";
import { assertActionAllowed } from "@/lib/metering/keys";
import { chargeResponse } from "@/lib/metering/responses";
import { reserveBody } from "@/lib/metering/schemas";

/** Hold credits for async work (the action's reserve price, or `estimate`); commit or release it later. */
export const POST = apiRoute({ limit: "action", body: reserveBody }, async ({ body, client, workspaceId }) => {
  assertActionAllowed(client, body.action);
  const result = await reserve({
    workspaceId,
    actionKey: body.action,
    quantity: body.quantity,
    estimate: body.estimate,
    idempotencyKey: body.idempotency_key,
    subject: body.subject,
    metadata: body.metadata as object | undefined,
    actor: { apiClientId: client.id },
    pendingLimit: client.maxPending,
  });
  return chargeResponse(result, workspaceId, "reservation");
});
