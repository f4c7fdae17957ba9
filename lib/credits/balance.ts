import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { creditPeriod, periodSource } from "@/lib/credits/periods";
import { compareSpendOrder, type GrantType } from "@/lib/credits/allocate";
import { spendableGrants } from "@/lib/credits/ledger";
import { ensureMaintained } from "@/lib/credits/maintenance";
import { CATEGORIES, type Category } from "@/lib/pricing/categories";
import { allowanceFigures } from "@/lib/credits/figures";

export type BalanceGrant = { id: string; type: GrantType; amount: number; remaining: number; expiresAt: string | null };

/** What the billing panel and the balance API show. JSON-safe (instants as ISO strings). */
export type Balance = {
  workspaceId: string;
  plan: { id: string; name: string; monthlyCredits: number | null };
  /** A downgrade or cancellation that takes effect at `at` (the next period start). */
  pendingPlan: { id: string; at: string } | null;
  period: { start: string; end: string };
  /** Spendable credits across all grants (held credits excluded). */
  remaining: number;
  remainingByType: Record<GrantType, number>;
  /** Credits held by pending reservations. */
  held: number;
  /** Events waiting for credits (queue policy) and what they will cost. */
  queued: { events: number; credits: number };
  /** Credits charged by actions completed this period (net of refunds). */
  used: number;
  /** The plan's monthly allowance and what is left of this period's subscription grant. */
  allowance: number | null;
  allowanceRemaining: number;
  /** Of `used`: credits that drew on no grant — calls paid with x402, every call of an unlimited plan (lib/credits/figures.ts). */
  unmetered: number;
  /** What has been spent of this period's allowance (≤ allowance), and what bonus and purchased credits paid (lib/credits/figures.ts). */
  allowanceUsed: number;
  beyondPlan: number;
  /** allowanceUsed as a whole percentage of the allowance, rounded down: 100 only once all of it is spent. */
  allowancePercent: number;
  unlimited: boolean;
  breakdown: { category: Category; credits: number; events: number }[];
  /** Credits charged per UTC day of the period that had usage, by category. */
  daily: { day: string; credits: Record<Category, number> }[];
  grants: BalanceGrant[];
  asOf: string;
};

/**
 * The workspace's balance now. Reads a handful of small row sets whatever the history: spendable
 * grants (partial index), this period's daily rollups (≤ 31 × 6 rows, for the breakdown and the daily
 * chart), pending and queued events.
 */
export async function getBalance(workspaceId: string): Promise<Balance> {
  const at = now();
  await ensureMaintained(workspaceId, at);
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: {
      billingInterval: true,
      periodAnchor: true,
      pendingPlanId: true,
      pendingPlanAt: true,
      plan: { select: { id: true, name: true, monthlyCredits: true } },
    },
  });
  const period = creditPeriod(at, workspace.billingInterval, workspace.periodAnchor);
  const unlimited = workspace.plan.monthlyCredits === null;
  const [grants, rollups, pending, queued, allowanceGrant, unmeteredSum] = await Promise.all([
    spendableGrants(db, workspaceId, at),
    db.usageRollup.findMany({
      where: { workspaceId, day: { gte: period.start, lt: period.end } },
      select: { day: true, category: true, credits: true, events: true },
      orderBy: { day: "asc" },
    }),
    db.usageEvent.aggregate({ where: { workspaceId, status: "PENDING", unmetered: false }, _sum: { credits: true } }),
    db.usageEvent.aggregate({ where: { workspaceId, status: "QUEUED" }, _sum: { credits: true }, _count: { _all: true } }),
    db.creditGrant.findUnique({
      where: { workspaceId_source: { workspaceId, source: periodSource(period) } },
      select: { amount: true, remaining: true },
    }),
    // Metered plans: the period's calls paid with x402 (a partial index holds only unmetered events).
    // Unlimited plans: every call is unmetered, so no query.
    unlimited
      ? null
      : db.usageEvent.aggregate({
          where: { workspaceId, unmetered: true, status: "COMPLETED", createdAt: { gte: period.start, lt: period.end } },
          _sum: { credits: true },
        }),
  ]);

  const breakdown = CATEGORIES.map((category) => {
    const rows = rollups.filter((r) => r.category === category);
    return { category, credits: rows.reduce((s, r) => s + Number(r.credits), 0), events: rows.reduce((s, r) => s + r.events, 0) };
  });
  const daily = new Map<string, Record<Category, number>>();
  for (const r of rollups) {
    const day = r.day.toISOString().slice(0, 10);
    const row = daily.get(day) ?? (Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>);
    row[r.category] += Number(r.credits);
    daily.set(day, row);
  }
  const remainingByType: Record<GrantType, number> = { SUBSCRIPTION: 0, BONUS: 0, PURCHASED: 0 };
  for (const g of grants) remainingByType[g.type] += g.remaining;

  const used = breakdown.reduce((s, b) => s + b.credits, 0);
  const unmetered = unlimited ? used : Math.min(used, unmeteredSum?._sum.credits ?? 0);
  const figures = allowanceFigures({ allowance: workspace.plan.monthlyCredits, allowanceGrant, used, unmetered });
  return {
    workspaceId,
    plan: workspace.plan,
    pendingPlan:
      workspace.pendingPlanId && workspace.pendingPlanAt
        ? { id: workspace.pendingPlanId, at: workspace.pendingPlanAt.toISOString() }
        : null,
    period: { start: period.start.toISOString(), end: period.end.toISOString() },
    remaining: grants.reduce((s, g) => s + g.remaining, 0),
    remainingByType,
    held: pending._sum.credits ?? 0,
    queued: { events: queued._count._all, credits: queued._sum.credits ?? 0 },
    used,
    unmetered,
    allowance: workspace.plan.monthlyCredits,
    allowanceRemaining: allowanceGrant?.remaining ?? 0,
    allowanceUsed: figures.allowanceUsed,
    beyondPlan: figures.beyondPlan,
    allowancePercent: figures.percent,
    unlimited,
    breakdown,
    daily: [...daily].map(([day, credits]) => ({ day, credits })),
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
