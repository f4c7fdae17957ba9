import type { BudgetBody } from "@/lib/metering/response-schemas";

export type BudgetView = BudgetBody;
export type BudgetActionResult = { ok: true } | { ok: false; message?: string; fields?: Record<string, string> };
export type BudgetAction = (formData: FormData) => Promise<BudgetActionResult>;
/** The server actions that set and remove a budget. */
export type BudgetActions = { set: BudgetAction; remove: BudgetAction };
/** Whose budget a panel edits. */
export type BudgetTarget = { scope: "workspace" } | { scope: "api_key"; apiKeyId: string } | { scope: "member"; memberId: string };
