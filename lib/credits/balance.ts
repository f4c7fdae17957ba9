import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { rollOver, workspacePeriodSelect } from "@/lib/credits/period";
import { compareSpendOrder } from "@/lib/credits/allocate";
import { CATEGORIES, type Category } from "@/lib/pricing/categories";

export type BalanceGrant = {
  id: string;
  type: "SUBSCRIPTION" | "BONUS" | "PURCHASED";
  amount: number;
  remaining: number;
  expiresAt: string | null;
};

/** What the billing panel and the balance API show. JSON-safe (dates as ISO strings). */
export type Balance = {
  workspaceId: string;
  plan: { id: string; name: string; monthlyCredits: number | null };
  period: { start: string; end: string };
  /** Spendable credits across all grants. */
  remaining: number;
  /** Credits charged by actions completed this period (net of refunds). */
  used: number;
  /** The plan's monthly allowance and what is left of this period's subscription grant. */
  allowance: number | null;
  allowanceRemaining: number;
  unlimited: boolean;
  breakdown: { category: Category; credits: number; events: number }[];
  grants: BalanceGrant[];
  asOf: string;
};

/** The workspace's balance now, after bringing it to the current period (lazy rollover). */
export async function getBalance(workspaceId: string): Promise<Balance> {
  const at = now();
  const { workspace, period } = await db.$transaction(async (tx) => {
    const workspace = await tx.workspace.findUniqueOrThrow({
      where: { id: workspaceId },
      select: { ...workspacePeriodSelect, plan: { select: { id: true, name: true, monthlyCredits: true } } },
    });
    return { workspace, period: await rollOver(tx, workspace, at) };
  });

  const [grants, usage] = await Promise.all([
    db.creditGrant.findMany({
      where: { workspaceId, remaining: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
      select: { id: true, type: true, amount: true, remaining: true, expiresAt: true, createdAt: true, source: true },
    }),
    db.usageEvent.groupBy({
      by: ["category"],
      where: { workspaceId, status: "COMPLETED", completedAt: { gte: period.start, lt: period.end } },
      _sum: { credits: true },
      _count: { _all: true },
    }),
  ]);

  const byCategory = new Map(usage.map((u) => [u.category, u]));
  const breakdown = CATEGORIES.map((category) => ({
    category,
    credits: byCategory.get(category)?._sum.credits ?? 0,
    events: byCategory.get(category)?._count._all ?? 0,
  }));
  const subscription = grants.find((g) => g.type === "SUBSCRIPTION" && g.expiresAt?.getTime() === period.end.getTime());

  return {
    workspaceId,
    plan: workspace.plan,
    period: { start: period.start.toISOString(), end: period.end.toISOString() },
    remaining: grants.reduce((s, g) => s + g.remaining, 0),
    used: breakdown.reduce((s, b) => s + b.credits, 0),
    allowance: workspace.plan.monthlyCredits,
    allowanceRemaining: subscription?.remaining ?? 0,
    unlimited: workspace.plan.monthlyCredits === null,
    breakdown,
    grants: [...grants].sort(compareSpendOrder).map((g) => ({
      id: g.id,
      type: g.type,
      amount: g.amount,
      remaining: g.remaining,
      expiresAt: g.expiresAt?.toISOString() ?? null,
    })),
    asOf: at.toISOString(),
  };
}
