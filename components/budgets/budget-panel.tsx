"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { InlineMessage } from "@/components/ui/field";
import { useActions } from "@/components/ui/form";
import { useWithWorkspace } from "@/components/layout/workspace-scope";
import { formatCredits, formatUtc } from "@/lib/format";
import type { BudgetAction, BudgetActionResult, BudgetActions, BudgetTarget, BudgetView } from "@/components/budgets/types";

const SPENT_IN = { day: "today", week: "this week", month: "this month", none: "in all" } as const;
const PERIODS = [
  ["day", "Per day"],
  ["week", "Per week"],
  ["month", "Per month"],
  ["none", "In all (no reset)"],
] as const;

/** A small labelled select of the budget form. */
function CompactSelect({ id, label, children, ...props }: React.ComponentProps<"select"> & { id: string; label: string }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        className="mt-1 block w-full rounded-md border-0 py-1.5 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300"
        {...props}
      >
        {children}
      </select>
    </div>
  );
}

type Props = {
  /** Whose budget, in words: "Production backend", "ana@example.com", "the workspace". */
  label: string;
  target: BudgetTarget;
  budget: BudgetView | null;
  canManage: boolean;
  actions: BudgetActions;
  /** Workspace budgets may be a percentage of the plan's allowance. */
  allowPercent?: boolean;
};

/**
 * A credit budget (docs/decisions/018-budgets.md): spent of limit this period, a bar, when it resets and
 * whether calls stop at it; owners set, change or remove it in place. Used for a key (Settings → API
 * keys), a member (Settings → Members) and the workspace (Settings → Billing).
 */
export function BudgetPanel({ label, target, budget, canManage, actions, allowPercent = false }: Props) {
  const [editing, setEditing] = useState(false);
  const { pending, error, run: runAction } = useActions<BudgetActionResult>();
  const withWorkspace = useWithWorkspace();
  const id = `budget-${target.scope}-${target.scope === "api_key" ? target.apiKeyId : target.scope === "member" ? target.memberId : "ws"}`;

  const run = (action: BudgetAction, data: FormData) =>
    runAction(
      () => action(withWorkspace(data)),
      () => setEditing(false),
    );

  const limit = budget?.limit ?? null;
  const usedPct = budget && limit ? Math.min(100, Math.round((budget.spent / limit) * 100)) : budget && limit === 0 ? 100 : 0;
  return (
    <div
      className="mt-3 max-w-xl rounded-md bg-slate-50 px-3 py-2.5 ring-1 ring-inset ring-slate-200"
      role="group"
      aria-label={`Budget of ${label}`}
    >
      {budget ? (
        <>
          <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-xs">
            <span className="font-medium text-slate-800">
              Budget: <span className="tabular-nums">{formatCredits(budget.spent)}</span> of{" "}
              <span className="tabular-nums">{limit === null ? "—" : formatCredits(limit)}</span> credits {SPENT_IN[budget.period]}
              {budget.limit_percent !== null ? ` (${budget.limit_percent}% of the allowance)` : ""}
            </span>
            <Badge tone={budget.mode === "hard" ? "neutral" : "brand"}>
              {budget.mode === "hard" ? "Calls stop at the limit" : "Alert only"}
            </Badge>
          </div>
          <div
            role="progressbar"
            aria-label={`Budget of ${label} used`}
            aria-valuemin={0}
            aria-valuemax={limit ?? 0}
            aria-valuenow={budget.spent}
            aria-valuetext={`${formatCredits(budget.spent)} of ${limit === null ? "no limit" : formatCredits(limit)} credits`}
            className="mt-1.5 h-1.5 w-full overflow-hidden rounded-full bg-slate-200"
          >
            <div
              className={`h-full ${usedPct >= 100 ? "bg-red-500" : usedPct >= 80 ? "bg-amber-500" : "bg-indigo-600"}`}
              style={{ width: `${usedPct}%` }}
            />
          </div>
          <p className="mt-1 text-xs text-slate-500">
            {budget.remaining === null ? "No limit on this plan" : `${formatCredits(budget.remaining)} left`}
            {budget.resets_at ? ` · resets ${formatUtc(budget.resets_at)}` : " · never resets"}
          </p>
        </>
      ) : (
        <p className="text-xs text-slate-500">
          No budget: {target.scope === "workspace" ? "the workspace" : label} may spend whatever the balance allows.
        </p>
      )}

      {canManage && !editing ? (
        <div className="mt-2 flex flex-wrap gap-2">
          <Button
            variant="secondary"
            onClick={() => setEditing(true)}
            aria-label={`${budget ? "Change budget" : "Set budget"} for ${label}`}
          >
            {budget ? "Change budget" : "Set budget"}
          </Button>
          {budget ? (
            <Button
              variant="ghost"
              disabled={pending}
              aria-label={`Remove budget for ${label}`}
              onClick={() => {
                const data = new FormData();
                data.set("id", budget.id);
                run(actions.remove, data);
              }}
            >
              Remove budget
            </Button>
          ) : null}
        </div>
      ) : null}

      {canManage && editing ? (
        <form
          noValidate
          className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-[8rem_auto_auto_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            run(actions.set, new FormData(e.currentTarget));
          }}
        >
          <input type="hidden" name="scope" value={target.scope} />
          {target.scope === "api_key" ? <input type="hidden" name="api_key_id" value={target.apiKeyId} /> : null}
          {target.scope === "member" ? <input type="hidden" name="member_id" value={target.memberId} /> : null}
          <div>
            <label htmlFor={`${id}-limit`} className="block text-xs font-medium text-slate-700">
              Budget<span className="sr-only"> of {label}</span>
            </label>
            <input
              id={`${id}-limit`}
              name="limit"
              inputMode="numeric"
              defaultValue={budget ? String(budget.limit_percent ?? budget.limit ?? "") : ""}
              placeholder="500"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              className="mt-1 block w-full rounded-md border-0 px-2 py-1.5 text-sm tabular-nums ring-1 ring-inset ring-slate-300"
            />
          </div>
          <CompactSelect id={`${id}-unit`} name="unit" label="In" defaultValue={budget?.limit_percent != null ? "percent" : "credits"}>
            <option value="credits">credits</option>
            {allowPercent ? <option value="percent">% of allowance</option> : null}
          </CompactSelect>
          <CompactSelect id={`${id}-period`} name="period" label="Period (UTC)" defaultValue={budget?.period ?? "month"}>
            {PERIODS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </CompactSelect>
          <CompactSelect id={`${id}-mode`} name="mode" label="At the limit" defaultValue={budget?.mode ?? "hard"}>
            <option value="hard">Stop calls</option>
            <option value="soft">Alert only</option>
          </CompactSelect>
          <div className="col-span-2 flex gap-2 sm:col-span-4">
            <Button type="submit" disabled={pending} aria-label={`Save budget for ${label}`}>
              Save budget
            </Button>
            <Button type="button" variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      <InlineMessage id={`${id}-error`} className="mt-1">
        {error}
      </InlineMessage>
    </div>
  );
}
