import "server-only";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { budgetStatus } from "@/lib/credits";
import type { BudgetBody } from "@/lib/metering/response-schemas";
import { budgetInput, type BudgetInput } from "@/lib/metering/schemas";
import { evaluateAfterChange } from "@/lib/alerts/usage-alerts";

/**
 * Setting and removing budgets (docs/decisions/018-budgets.md). One budget per subject: setting a budget
 * for a subject that has one replaces its period, mode and limit; what was spent stays counted.
 */
const SCOPE = { workspace: "WORKSPACE", api_key: "API_KEY", member: "MEMBER" } as const;

/** Sets (creates or replaces) the budget of one subject of a workspace; returns it as it stands now. */
export async function setBudget(workspaceId: string, raw: BudgetInput): Promise<BudgetBody> {
  const parsed = budgetInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("invalid_request", issue.message, { details: { field: issue.path.join(".") || "scope" } });
  }
  const input = parsed.data;
  let subject = "workspace";
  if (input.scope === "api_key") {
    const key = await db.apiClient.findFirst({ where: { id: input.api_key_id, workspaceId, kind: "WORKSPACE" }, select: { id: true } });
    if (!key) throw new AppError("not_found", "This workspace has no such API key.", { details: { field: "api_key_id" } });
    subject = `key:${key.id}`;
  } else if (input.scope === "member") {
    const member = await db.membership.findFirst({ where: { workspaceId, userId: input.member_id }, select: { userId: true } });
    if (!member) throw new AppError("not_found", "This workspace has no such member.", { details: { field: "member_id" } });
    subject = `member:${member.userId}`;
  }
  const data = {
    period: input.period.toUpperCase() as "DAY" | "WEEK" | "MONTH" | "NONE",
    mode: input.mode.toUpperCase() as "HARD" | "SOFT",
    limitCredits: input.limit ?? null,
    limitPercent: input.limit_percent ?? null,
  };
  const budget = await db.budget.upsert({
    where: { workspaceId_subject: { workspaceId, subject } },
    create: {
      workspaceId,
      subject,
      scope: SCOPE[input.scope],
      apiClientId: input.scope === "api_key" ? input.api_key_id! : null,
      userId: input.scope === "member" ? input.member_id! : null,
      ...data,
    },
    update: data,
    select: { id: true },
  });
  await evaluateAfterChange(workspaceId); // a lower limit may reach a threshold, a higher one resolve an alert
  return (await budgetStatus(workspaceId, now())).find((b) => b.id === budget.id)!;
}

/** Removes a budget; false when the workspace has no budget with that id. */
export async function deleteBudget(workspaceId: string, budgetId: string): Promise<boolean> {
  const { count } = await db.budget.deleteMany({ where: { id: budgetId, workspaceId } });
  if (count > 0) await evaluateAfterChange(workspaceId); // its firing alerts resolve
  return count > 0;
}
