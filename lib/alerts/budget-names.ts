import "server-only";
import { db } from "@/lib/db";

const PERIOD = { DAY: "daily", WEEK: "weekly", MONTH: "monthly", NONE: "lifetime" } as const;

/**
 * Budgets by id in words, for alert mails and the alert history: "the workspace's monthly budget", "the
 * daily budget of API key “prod”", "the weekly budget of ana@example.com". Removed budgets are absent.
 */
export async function describeBudgets(workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const budgets = await db.budget.findMany({
    where: { workspaceId, id: { in: [...new Set(ids)] } },
    select: { id: true, scope: true, period: true, apiClient: { select: { name: true } }, user: { select: { email: true } } },
  });
  return new Map(
    budgets.map((b) => {
      const period = PERIOD[b.period];
      if (b.scope === "API_KEY") return [b.id, `the ${period} budget of API key “${b.apiClient?.name ?? "removed"}”`];
      if (b.scope === "MEMBER") return [b.id, `the ${period} budget of ${b.user?.email ?? "a former member"}`];
      return [b.id, `the workspace’s ${period} budget`];
    }),
  );
}
