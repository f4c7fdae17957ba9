import { apiRoute } from "@/lib/api/v1";
import { budgetStatus } from "@/lib/credits";
import { setBudget } from "@/lib/budgets/manage";
import { setBudgetBody } from "@/lib/metering/schemas";

/** Every budget of the workspace, with what was spent this period. */
export const GET = apiRoute({ limit: "read" }, async ({ workspaceId }) => ({
  status: 200,
  body: { budgets: await budgetStatus(workspaceId) },
}));

/** Sets the budget of one subject (the workspace, a key or a member): created, or replaced. */
export const PUT = apiRoute({ limit: "read", body: setBudgetBody }, async ({ workspaceId, body }) => {
  const { workspace_id: _w, external_id: _e, ...input } = body;
  return { status: 200, body: await setBudget(workspaceId, input) };
});
