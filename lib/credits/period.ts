import type { Tx } from "@/lib/db";
import { creditPeriod, periodSource, type Period } from "@/lib/credits/periods";
import { expireGrants, grant } from "@/lib/credits/ledger";

export type WorkspacePeriodInfo = {
  id: string;
  billingInterval: "MONTH" | "YEAR";
  periodAnchor: Date;
  subscriptionStatus: string;
  plan: { monthlyCredits: number | null };
};

/**
 * Brings a workspace to the credit period containing `at`: expires what is past its expiry (unused
 * SUBSCRIPTION credits of the last period among them: no rollover) and grants this period's
 * allowance. Safe to call on every read and debit, from any number of instances at once: the period
 * grant's unique source lets exactly one insert win, and expiry locks the rows it changes.
 */
export async function rollOver(tx: Tx, workspace: WorkspacePeriodInfo, at: Date): Promise<Period> {
  const period = creditPeriod(at, workspace.billingInterval, workspace.periodAnchor);
  await expireGrants(tx, workspace.id, at);
  // Unlimited plans draw on no grant; a paused workspace gets no new allowance (DESIGN.md).
  if (workspace.plan.monthlyCredits !== null && workspace.subscriptionStatus !== "PAUSED") {
    await grant(tx, {
      workspaceId: workspace.id,
      type: "SUBSCRIPTION",
      credits: workspace.plan.monthlyCredits,
      expiresAt: period.end,
      source: periodSource(period),
      at,
      reason: "monthly allowance",
    });
  }
  return period;
}

export const workspacePeriodSelect = {
  id: true,
  billingInterval: true,
  periodAnchor: true,
  subscriptionStatus: true,
  plan: { select: { monthlyCredits: true } },
} as const;
