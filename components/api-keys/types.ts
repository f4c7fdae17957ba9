export type KeyActionResult =
  { ok: true; secret?: string; prefix?: string } | { ok: false; message?: string; fields?: Record<string, string> };
export type KeyAction = (formData: FormData) => Promise<KeyActionResult>;

import type { BudgetView } from "@/components/budgets/types";

export type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  hourlyCap: number;
  maxPending: number;
  allowedActions: string[];
  /** Origins that may frame this key's embedded billing links (lib/portal-sessions/origins.ts). */
  allowedOrigins: string[];
  webhookUrl: string | null;
  signingSecret: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The key's credit budget (docs/decisions/018-budgets.md), or null; absent where keys have none (platform keys). */
  budget?: BudgetView | null;
};
