"use server";

import { formText, workspaceAction } from "@/lib/actions";
import { AppError } from "@/lib/errors";
import { deleteBudget, setBudget } from "@/lib/budgets/manage";
import type { BudgetActionResult } from "@/components/budgets/types";

/** Owners only (workspaceAction checks the role on every call); the budget shows on these pages. */
const OWNERS = { role: "OWNER" as const, revalidate: ["/settings/api-keys", "/settings/members", "/settings/billing"] };

/** A whole number typed in a form, or undefined when the field is empty. */
function wholeNumber(formData: FormData, name: string): number | undefined {
  const text = formText(formData, name)
    .trim()
    .replace(/[,\s_]/g, "");
  if (text === "") return undefined;
  if (!/^\d+$/.test(text)) throw new AppError("invalid_request", "Use a whole number.", { details: { field: name } });
  return Number(text);
}

/** Sets the budget of the workspace, a key or a member (the form's `scope`, `api_key_id`, `member_id`). */
export const setBudgetAction = workspaceAction(OWNERS, async ({ workspace }, formData): Promise<BudgetActionResult> => {
  const scope = formText(formData, "scope") as "workspace" | "api_key" | "member";
  const unit = formText(formData, "unit");
  const amount = wholeNumber(formData, "limit");
  if (amount === undefined) return { ok: false, message: "Enter the budget.", fields: { limit: "Enter the budget." } };
  await setBudget(workspace.id, {
    scope,
    ...(scope === "api_key" ? { api_key_id: formText(formData, "api_key_id") } : {}),
    ...(scope === "member" ? { member_id: formText(formData, "member_id") } : {}),
    period: formText(formData, "period") as "day" | "week" | "month" | "none",
    mode: formText(formData, "mode") === "soft" ? "soft" : "hard",
    ...(unit === "percent" ? { limit_percent: amount } : { limit: amount }),
  });
  return { ok: true };
});

export const removeBudgetAction = workspaceAction(OWNERS, async ({ workspace }, formData): Promise<BudgetActionResult> => {
  await deleteBudget(workspace.id, formText(formData, "id"));
  return { ok: true };
});
