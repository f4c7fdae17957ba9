import { z } from "zod";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { budgetStatus } from "@/lib/budgets/budgets";
import type { BudgetBody } from "@/lib/metering/response-schemas";

/**
 * Setting and removing budgets (docs/decisions/018-budgets.md). One budget per subject: setting a budget
 * for a subject that has one replaces its period, mode and limit; what was spent stays counted.
 */
export const budgetInputSchema = z
  .strictObject({
    scope: z.enum(["workspace", "api_key", "member"]),
    api_key_id: z.string().min(1).max(100).optional(),
    member_id: z.string().min(1).max(100).optional(),
    period: z.enum(["day", "week", "month", "none"]),
    mode: z.enum(["hard", "soft"]).default("hard"),
    limit: z.number().int().min(0).max(2_147_483_647).optional(),
    limit_percent: z.number().int().min(1).max(1_000).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.limit === undefined) === (v.limit_percent === undefined)) {
      ctx.addIssue({ code: "custom", path: ["limit"], message: "Give the budget as limit (credits) or limit_percent (of the plan's allowance), not both." });
    }
    if (v.limit_percent !== undefined && v.scope !== "workspace") {
      ctx.addIssue({ code: "custom", path: ["limit_percent"], message: "Only a workspace budget can be a percentage of the plan's allowance." });
    }
    if (v.scope === "api_key" && !v.api_key_id) ctx.addIssue({ code: "custom", path: ["api_key_id"], message: "Name the API key (api_key_id)." });
    if (v.scope === "member" && !v.member_id) ctx.addIssue({ code: "custom", path: ["member_id"], message: "Name the member (member_id)." });
    if (v.scope !== "api_key" && v.api_key_id) ctx.addIssue({ code: "custom", path: ["api_key_id"], message: "api_key_id goes with scope api_key." });
    if (v.scope !== "member" && v.member_id) ctx.addIssue({ code: "custom", path: ["member_id"], message: "member_id goes with scope member." });
  });
export type BudgetInput = z.input<typeof budgetInputSchema>;

const SCOPE = { workspace: "WORKSPACE", api_key: "API_KEY", member: "MEMBER" } as const;

/** Sets (creates or replaces) the budget of one subject of a workspace; returns it as it stands now. */
export async function setBudget(workspaceId: string, raw: BudgetInput): Promise<BudgetBody> {
  const parsed = budgetInputSchema.safeParse(raw);
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
  return (await budgetStatus(workspaceId, now())).find((b) => b.id === budget.id)!;
}

/** Removes a budget; false when the workspace has no budget with that id. */
export async function deleteBudget(workspaceId: string, budgetId: string): Promise<boolean> {
  const { count } = await db.budget.deleteMany({ where: { id: budgetId, workspaceId } });
  return count > 0;
}
