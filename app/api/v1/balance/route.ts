import { apiRoute } from "@/lib/api/v1";
import { getBalance } from "@/lib/credits";
import { applying, budgetStatus } from "@/lib/credits";
import { balanceJson } from "@/lib/metering/responses";

/** Remaining by type, used this period, held, reset date, the breakdown by category and the budgets that apply to this key. */
export const GET = apiRoute({ limit: "read" }, async ({ workspaceId, client }) => {
  const [balance, budgets] = await Promise.all([getBalance(workspaceId), budgetStatus(workspaceId)]);
  return { status: 200, body: balanceJson(balance, applying(budgets, { apiClientId: client.id })) };
});
