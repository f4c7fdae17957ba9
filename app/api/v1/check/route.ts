import { apiRoute } from "@/lib/api/v1";
import { check } from "@/lib/credits";
import { assertActionAllowed } from "@/lib/metering/keys";
import { checkResponse } from "@/lib/metering/responses";
import { checkBody } from "@/lib/metering/schemas";

/** Dry run: would this action be allowed now (balance and budgets), what would it cost, what would remain. Writes nothing. */
export const POST = apiRoute({ limit: "read", body: checkBody }, async ({ body, client, workspaceId }) => {
  assertActionAllowed(client, body.action);
  return checkResponse(await check({ workspaceId, actionKey: body.action, quantity: body.quantity, actor: { apiClientId: client.id } }));
});
