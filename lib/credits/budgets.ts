import "server-only";
import { db, utcTimestamp, type Db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { formatCredits, formatUtc } from "@/lib/format";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Credit budgets (docs/decisions/018-budgets.md): a limit on what a workspace, one of its API keys or one
 * of its members may spend per calendar day, week or month (UTC) or in all. Part of the ledger: the
 * database enforces hard budgets in credits_charge, under the workspace lock, against BudgetSpend (kept by
 * a trigger on every usage event); this module reads them through the same SQL (budget_status), so what
 * the API and the portal show is what the ledger enforces. Setting them: lib/budgets/manage.ts.
 */

type Client = Db | Tx;

/**
 * A budget and where it stands, in the API's words (GET /api/v1/budgets, the `budget` of 402
 * budget_exceeded and of a dry run): the response schema in lib/metering/response-schemas.ts is checked
 * against this type, so the two cannot differ.
 */
export type BudgetBody = {
  id: string;
  scope: "workspace" | "api_key" | "member";
  api_key_id: string | null;
  member_id: string | null;
  period: "day" | "week" | "month" | "none";
  mode: "hard" | "soft";
  limit: number | null;
  limit_percent: number | null;
  spent: number;
  remaining: number | null;
  period_start: string | null;
  resets_at: string | null;
};

type StatusRow = {
  id: string;
  scope: "WORKSPACE" | "API_KEY" | "MEMBER";
  subject: string;
  api_client_id: string | null;
  user_id: string | null;
  period: "DAY" | "WEEK" | "MONTH" | "NONE";
  mode: "HARD" | "SOFT";
  credit_limit: bigint | number | null;
  limit_percent: number | null;
  spent: bigint | number;
  period_start: Date | null;
  period_end: Date | null;
};

const SCOPE = { WORKSPACE: "workspace", API_KEY: "api_key", MEMBER: "member" } as const;

function toBody(row: StatusRow): BudgetBody {
  const limit = row.credit_limit === null ? null : Number(row.credit_limit);
  const spent = Number(row.spent);
  return {
    id: row.id,
    scope: SCOPE[row.scope],
    api_key_id: row.api_client_id,
    member_id: row.user_id,
    period: row.period.toLowerCase() as BudgetBody["period"],
    mode: row.mode.toLowerCase() as BudgetBody["mode"],
    limit,
    limit_percent: row.limit_percent,
    spent,
    remaining: limit === null ? null : Math.max(0, limit - spent),
    period_start: row.period_start?.toISOString() ?? null,
    resets_at: row.period_end?.toISOString() ?? null,
  };
}

/** Every budget of a workspace and where it stands at `at`. */
export async function budgetStatus(workspaceId: string, at: Date = now(), client: Client = db): Promise<BudgetBody[]> {
  const rows = await client.$queryRaw<
    StatusRow[]
  >`SELECT * FROM "budget_status"(${workspaceId}, ${utcTimestamp(at)}::timestamp(3)) ORDER BY scope, subject`;
  return rows.map(toBody);
}

/**
 * The same rule as `applying`, as a filter on the Budget table: lets a caller see whether any budget
 * applies (a count) without computing every budget's spend through budget_status.
 */
export function applyingWhere(who: { apiClientId?: string | null; userId?: string | null }): Prisma.BudgetWhereInput {
  return {
    OR: [
      { scope: "WORKSPACE" },
      ...(who.apiClientId ? [{ scope: "API_KEY" as const, apiClientId: who.apiClientId }] : []),
      ...(who.userId ? [{ scope: "MEMBER" as const, userId: who.userId }] : []),
    ],
  };
}

/** The budgets that apply to a call by this key and member (and the workspace's own). */
export function applying(budgets: BudgetBody[], who: { apiClientId?: string | null; userId?: string | null }): BudgetBody[] {
  return budgets.filter(
    (b) =>
      b.scope === "workspace" ||
      (b.scope === "api_key" && b.api_key_id === who.apiClientId) ||
      (b.scope === "member" && b.member_id === who.userId),
  );
}

/** A budget's scope in words: as the subject of a message, named inside one, and where an owner changes it (and its path). */
const SCOPE_WORDS = {
  workspace: { owner: "The workspace's", named: "the workspace's", where: "Settings → Billing", page: "/settings/billing" },
  api_key: { owner: "This API key's", named: "the API key's", where: "Settings → API keys", page: "/settings/api-keys" },
  member: { owner: "This member's", named: "the member's", where: "Settings → Members", page: "/settings/members" },
} as const;
const PERIOD = { day: "daily", week: "weekly", month: "monthly", none: "lifetime" } as const;

/**
 * Budgets by id for alert mails and the alert history: the budget with its subject's name ("the daily
 * budget of API key “prod”"), whether it refuses calls past it, and the page where an owner changes it.
 * Removed budgets are absent.
 */
export async function budgetDescriptions(
  client: Client,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, { title: string; hard: boolean; page: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await client.budget.findMany({
    where: { workspaceId, id: { in: [...new Set(ids)] } },
    select: { id: true, scope: true, period: true, mode: true, apiClient: { select: { name: true } }, user: { select: { email: true } } },
  });
  return new Map(
    rows.map((b) => {
      const period = PERIOD[b.period.toLowerCase() as keyof typeof PERIOD];
      const title =
        b.scope === "API_KEY"
          ? `the ${period} budget of API key “${b.apiClient?.name ?? "removed"}”`
          : b.scope === "MEMBER"
            ? `the ${period} budget of ${b.user?.email ?? "a former member"}`
            : `the workspace’s ${period} budget`;
      return [b.id, { title, hard: b.mode === "HARD", page: SCOPE_WORDS[SCOPE[b.scope]].page }];
    }),
  );
}

/** Budgets by id, in words ("the API key's daily budget"), for the usage history's refused calls. */
export async function budgetNames(client: Client, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await client.budget.findMany({
    where: { workspaceId, id: { in: [...new Set(ids)] } },
    select: { id: true, scope: true, period: true },
  });
  return new Map(
    rows.map((b) => [b.id, `${SCOPE_WORDS[SCOPE[b.scope]].named} ${PERIOD[b.period.toLowerCase() as keyof typeof PERIOD]} budget`]),
  );
}

/** 402 budget_exceeded for a call of `cost` credits that would pass `budget`. */
export function budgetExceededError(budget: BudgetBody, cost: number): AppError {
  const left = budget.remaining ?? 0;
  const message = `${SCOPE_WORDS[budget.scope].owner} ${PERIOD[budget.period]} budget of ${formatCredits(budget.limit ?? 0)} credits would be passed: ${formatCredits(budget.spent)} spent, ${formatCredits(left)} left, and this call needs ${formatCredits(cost)}.`;
  const nextStep = budget.resets_at
    ? `Nothing was charged. Wait until the budget resets (${formatUtc(budget.resets_at)}) or ask a workspace owner to raise it (${SCOPE_WORDS[budget.scope].where}).`
    : `Nothing was charged. Ask a workspace owner to raise the budget (${SCOPE_WORDS[budget.scope].where}).`;
  return new AppError("budget_exceeded", message, {
    nextStep,
    details: { required: cost, budget },
  });
}

/** The error for credits_charge's `budget_exceeded` answer (the budget's id, the call's cost). */
export async function budgetExceeded(client: Client, workspaceId: string, budgetId: string, cost: number, at: Date): Promise<AppError> {
  const budget = (await budgetStatus(workspaceId, at, client)).find((b) => b.id === budgetId);
  if (!budget) throw new Error(`credits_charge named budget ${budgetId}, which ${workspaceId} does not have`);
  return budgetExceededError(budget, cost);
}

/**
 * Throws 402 budget_exceeded if `credits` more would pass a hard budget that applies (the tightest is
 * named). For a commit above its hold: the caller holds the workspace lock, so the answer stays true
 * until it commits.
 */
export async function assertWithinBudgets(
  tx: Tx,
  input: { workspaceId: string; apiClientId: string | null; userId: string | null; credits: number; at: Date },
): Promise<void> {
  if (input.credits <= 0) return;
  const over = tightestPassed(applying(await budgetStatus(input.workspaceId, input.at, tx), input), input.credits);
  if (over) throw budgetExceededError(over, input.credits);
}

/** Of these budgets, the hard one `credits` more would pass with the least left (credits_charge's choice), or null. */
export function tightestPassed(budgets: BudgetBody[], credits: number): BudgetBody | null {
  const over = budgets
    .filter((b) => b.mode === "hard" && b.limit !== null && b.spent + credits > b.limit)
    .sort((a, b) => a.limit! - a.spent - (b.limit! - b.spent) || (a.id < b.id ? -1 : 1));
  return over[0] ?? null;
}
