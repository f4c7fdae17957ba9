import "server-only";
import { db } from "@/lib/db";
import { unknownMember } from "@/lib/metering/hot-path";
import type { ChargeInput } from "@/lib/credits";
import type { AuthenticatedClient } from "@/lib/metering/keys";

/**
 * The member an action is done for (`member_email`), so usage history can show and filter it next to the
 * key that called (lib/usage/attribution.ts). One indexed lookup, only when the field is sent.
 */
async function memberId(workspaceId: string, email: string | undefined): Promise<string | null> {
  if (!email) return null;
  const membership = await db.membership.findFirst({
    where: { workspaceId, user: { email: email.trim().toLowerCase() } },
    select: { userId: true },
  });
  if (!membership) throw unknownMember(email);
  return membership.userId;
}

/** What track and reservations share: an action request of the API as the ledger takes it. */
export async function chargeInput(
  body: {
    action: string;
    quantity?: number;
    idempotency_key?: string;
    subject?: string;
    metadata?: Record<string, unknown>;
    member_email?: string;
  },
  client: AuthenticatedClient,
  workspaceId: string,
): Promise<ChargeInput> {
  return {
    workspaceId,
    actionKey: body.action,
    quantity: body.quantity,
    idempotencyKey: body.idempotency_key,
    subject: body.subject,
    metadata: body.metadata as ChargeInput["metadata"],
    actor: { apiClientId: client.id, userId: await memberId(workspaceId, body.member_email) },
  };
}
