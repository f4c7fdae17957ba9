import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { lockAndMaintain } from "@/lib/credits/maintenance";
import { FREE_AFTER_MS, PAUSE_AFTER_MS } from "@/lib/credits/standing";

/**
 * The scheduled side of period maintenance: finds every workspace with maintenance due (a reset, an
 * expiry, an expired hold, a scheduled plan change) and runs it, so allowances arrive, holds return
 * and queued work is charged at reset even when nobody reads or debits. Each workspace in its own
 * short transaction under its lock; safe to run from several instances at once. `workspaceIds`
 * limits it to some workspaces (an operator's "run maintenance now", tests).
 */
export async function sweepCredits(
  options: { at?: Date; workspaceIds?: string[]; batchSize?: number } = {},
): Promise<{ workspaces: number }> {
  const at = options.at ?? now();
  const batchSize = options.batchSize ?? 500;
  const all = options.workspaceIds === undefined;
  const ids = options.workspaceIds ?? [];
  let done = 0;
  for (;;) {
    const due = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Workspace" w
       WHERE (${all} OR w.id = ANY(${ids}::text[]))
         -- closed workspaces (their only member deleted the account) keep their ledger but get no new periods
         AND w."closedAt" IS NULL
         AND ("credits_maintenance_due"(w.id, ${at}::timestamp(3))
              -- a step of the failed-payment timeline (lib/credits/standing.ts) is due
              OR (w."subscriptionStatus" = 'PAST_DUE' AND w."pastDueSince" <= ${new Date(at.getTime() - PAUSE_AFTER_MS)}::timestamp(3))
              OR (w."subscriptionStatus" IN ('PAST_DUE', 'PAUSED') AND w."pastDueSince" <= ${new Date(at.getTime() - FREE_AFTER_MS)}::timestamp(3)))
       ORDER BY id LIMIT ${batchSize}`;
    for (const { id } of due) {
      await db.$transaction((tx) => lockAndMaintain(tx, id, at));
    }
    done += due.length;
    if (due.length < batchSize) return { workspaces: done };
  }
}
