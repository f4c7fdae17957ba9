import { apiRoute } from "@/lib/api/v1";
import { deleteBudget } from "@/lib/budgets/manage";
import { AppError } from "@/lib/errors";

/** Removes a budget: calls are no longer limited by it. */
export const DELETE = apiRoute<never, { id: string }>({ limit: "read" }, async ({ workspaceId, params }) => {
  if (!(await deleteBudget(workspaceId, params.id)))
    throw new AppError("not_found", "This workspace has no such budget.", { details: { field: "id" } });
  return { status: 200, body: { id: params.id, deleted: true } };
});
