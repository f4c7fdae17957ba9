import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { allocate } from "@/lib/credits/allocate";
import { grant, moveCredits, spendableGrants } from "@/lib/credits/ledger";
import { MAX_CREDITS } from "@/lib/pricing/limits";
import { lockAndMaintain } from "@/lib/credits/maintenance";
import { drainQueue } from "@/lib/credits/queue";

export type AdjustInput = {
  workspaceId: string;
  /** Signed: positive adds a BONUS grant, negative takes credits in spend order. */
  credits: number;
  reason: string;
  actorUserId: string;
  expiresAt?: Date | null;
};

/** An operator's correction, with a required reason, recorded in the audit log. */
export async function adjust(input: AdjustInput): Promise<{ credits: number; remaining: number; auditId: string }> {
  const reason = input.reason?.trim() ?? "";
  if (!reason) throw new AppError("invalid_request", "A reason is required for every adjustment.", { details: { field: "reason" } });
  if (reason.length > 500) throw new AppError("invalid_request", "Keep the reason under 500 characters.", { details: { field: "reason" } });
  if (!Number.isSafeInteger(input.credits) || input.credits === 0 || Math.abs(input.credits) > MAX_CREDITS) {
    throw new AppError("invalid_request", "credits must be a non-zero whole number within ±2,147,483,647.", {
      details: { field: "credits" },
    });
  }
  const at = now();
  return db.$transaction(async (tx) => {
    await lockAndMaintain(tx, input.workspaceId, at);
    const audit = await tx.auditLog.create({
      data: {
        actorUserId: input.actorUserId,
        action: "credits.adjust",
        targetType: "workspace",
        targetId: input.workspaceId,
        reason,
        data: { credits: input.credits, expiresAt: input.expiresAt?.toISOString() ?? null },
        createdAt: at,
      },
    });
    const actor = { userId: input.actorUserId };
    if (input.credits > 0) {
      await grant(tx, {
        workspaceId: input.workspaceId,
        type: "BONUS",
        credits: input.credits,
        expiresAt: input.expiresAt ?? null,
        source: `adjustment:${audit.id}`,
        at,
        actor,
        reason,
        kind: "ADJUSTMENT",
      });
      await drainQueue(tx, input.workspaceId, at);
    } else {
      const grants = await spendableGrants(tx, input.workspaceId, at);
      const allocations = allocate(grants, -input.credits);
      if (!allocations) {
        const remaining = grants.reduce((s, g) => s + g.remaining, 0);
        throw new AppError("insufficient_credits", `Cannot remove ${-input.credits} credits: only ${remaining} remain.`, {
          details: { remaining },
        });
      }
      await moveCredits(tx, {
        workspaceId: input.workspaceId,
        moves: allocations.map((a) => ({ grantId: a.grantId, credits: -a.credits })),
        kind: "ADJUSTMENT",
        at,
        actor,
        reason,
      });
    }
    const remaining = (await spendableGrants(tx, input.workspaceId, at)).reduce((s, g) => s + g.remaining, 0);
    return { credits: input.credits, remaining, auditId: audit.id };
  });
}
