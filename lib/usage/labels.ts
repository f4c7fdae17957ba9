import type { GrantType, UsageStatus } from "@/lib/generated/prisma/client";

/**
 * The words of the usage history (Settings → Usage, its filters, its CSV export): statuses as customers
 * read them and the buckets that paid. Pure: the filter form and the table (client components) import
 * it, while the queries that fill them live in lib/usage/history.ts.
 */

/** Statuses as customers read them: a PENDING reservation is "held". */
export const HISTORY_STATUSES = {
  completed: "COMPLETED",
  queued: "QUEUED",
  held: "PENDING",
  released: "RELEASED",
  refunded: "REFUNDED",
  rejected: "REJECTED",
} as const satisfies Record<string, UsageStatus>;
export type HistoryStatus = keyof typeof HISTORY_STATUSES;

/**
 * The statuses the history can be filtered by. "rejected": calls a budget refused (402 budget_exceeded,
 * docs/decisions/018-budgets.md), recorded with the budget that refused them; other refusals (402
 * insufficient credits, 403, 429) are answered but not recorded.
 */
export const FILTER_STATUSES = [
  "completed",
  "queued",
  "held",
  "released",
  "refunded",
  "rejected",
] as const satisfies readonly HistoryStatus[];
export type FilterStatus = (typeof FILTER_STATUSES)[number];

export function historyStatus(status: UsageStatus): HistoryStatus {
  return (Object.keys(HISTORY_STATUSES) as HistoryStatus[]).find((k) => HISTORY_STATUSES[k] === status)!;
}

export const GRANT_TYPE_LABEL: Record<GrantType, string> = { SUBSCRIPTION: "Plan", BONUS: "Bonus", PURCHASED: "Purchased" };

/**
 * Which buckets paid for an event: `paid` (its DEBIT entries; a refunded event keeps what it was
 * paid from), `held` (a pending reservation's hold), `unmetered` (enterprise), `x402` (paid in USDC with
 * x402: drawn from no grant, its UNMETERED entry names the transaction) or `none` (zero-cost, queued and
 * not yet charged, released, rejected).
 */
export type PaidFrom = {
  kind: "paid" | "held" | "unmetered" | "x402" | "none";
  parts: { type: GrantType; credits: number }[];
  transaction?: string;
};

/** "Plan 3 · Bonus 2", "held: Plan 15", "unmetered", "x402", "" (nothing drawn). */
export function formatPaidFrom(paid: PaidFrom, separator = " · "): string {
  if (paid.kind === "unmetered") return "unmetered";
  if (paid.kind === "x402") return "x402";
  if (paid.kind === "none" || paid.parts.length === 0) return "";
  const parts = paid.parts.map((p) => `${GRANT_TYPE_LABEL[p.type]} ${p.credits}`).join(separator);
  return paid.kind === "held" ? `held: ${parts}` : parts;
}
