import type { ChargeInput } from "@/lib/credits";
import type { AuthenticatedClient } from "@/lib/metering/keys";

/** What track and reservations share: an action request of the API as the ledger takes it. */
export function chargeInput(
  body: { action: string; quantity?: number; idempotency_key?: string; subject?: string; metadata?: Record<string, unknown> },
  client: AuthenticatedClient,
  workspaceId: string,
): ChargeInput {
  return {
    workspaceId,
    actionKey: body.action,
    quantity: body.quantity,
    idempotencyKey: body.idempotency_key,
    subject: body.subject,
    metadata: body.metadata as ChargeInput["metadata"],
    actor: { apiClientId: client.id },
  };
}
