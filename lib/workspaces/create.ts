import "server-only";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { openLedger } from "@/lib/credits";

/**
 * A new workspace (on the Free plan unless told otherwise): this period's allowance plus, unless
 * `signupBonus: false`, the one-time sign-up BONUS grant (source "signup", unique per workspace), both
 * written as ledger entries. Personal workspaces made by sign-up pass false: their bonus waits for the
 * email address to be verified (lib/accounts/verification.ts). Workspaces made for a platform's own
 * customers (PUT /api/v1/workspaces/{external_id}) get it at once, as docs/design.md "Integration and limits" says.
 */
export async function createWorkspace(
  tx: Tx,
  input: { id?: string; name: string; ownerUserId?: string; externalId?: string; planId?: string; signupBonus?: boolean; at: Date },
): Promise<{ id: string }> {
  const workspace = await tx.workspace.create({
    data: {
      ...(input.id ? { id: input.id } : {}),
      name: input.name,
      externalId: input.externalId ?? null,
      planId: input.planId ?? "free",
      periodAnchor: input.at,
      createdAt: input.at,
      ...(input.ownerUserId ? { memberships: { create: { userId: input.ownerUserId, role: "OWNER", createdAt: input.at } } } : {}),
    },
    select: { id: true },
  });
  await openLedger(tx, {
    workspaceId: workspace.id,
    at: input.at,
    signupBonusCredits: input.signupBonus === false ? 0 : env.SIGNUP_BONUS_CREDITS,
    actorUserId: input.ownerUserId,
  });
  return { id: workspace.id };
}
