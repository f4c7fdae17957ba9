import type { Balance } from "@/lib/credits/balance";
import type { PlanView } from "@/components/billing/plan-picker";
import { UPGRADE_THRESHOLD_PERCENT } from "@/lib/pricing/estimate";
import { formatCents, formatCountdown, formatCredits, formatUtcDay } from "@/lib/format";


const link = "font-semibold underline underline-offset-2 hover:no-underline";

/**
 * Out of credits: what still works and how to refill. Above 80 % of the allowance: the next tier by
 * name, its allowance and price. Nothing for unlimited plans.
 */
export function UsagePrompt({ balance, plans, canBuy, payments }: { balance: Balance; plans: PlanView[]; canBuy: boolean; payments: boolean }) {
  if (balance.unlimited || balance.allowance === null) return null;
  const current = plans.findIndex((p) => p.id === balance.plan.id);
  const next = current >= 0 ? plans[current + 1] : undefined;
  const nextText = next
    ? next.contactSales
      ? `${next.name} (unlimited credits, contact sales)`
      : `${next.name}: ${next.monthlyCredits === null ? "unlimited" : formatCredits(next.monthlyCredits)} credits a month for ${formatCents(next.priceMonthlyCents)}`
    : null;
  const refill = canBuy ? (
    <>
      <a href="#packs" className={link}>
        Buy a credit pack
      </a>
      {next ? (
        <>
          {" "}
          or{" "}
          <a href="#plans" className={link}>
            upgrade to {nextText}
          </a>
        </>
      ) : null}
      .
    </>
  ) : !payments ? (
    nextText ? `The next tier is ${nextText}.` : ""
  ) : (
    "Ask a workspace owner to buy a pack or upgrade."
  );

  if (balance.remaining === 0) {
    return (
      <div role="alert" className="rounded-lg bg-red-50 px-4 py-4 text-sm text-red-900 ring-1 ring-inset ring-red-200">
        <p className="text-base font-semibold">You’re out of credits.</p>
        <p className="mt-1">
          New chats and generations are refused until credits arrive: your allowance resets {formatCountdown(balance.asOf, balance.period.end)} (
          {formatUtcDay(balance.period.end)}). Your data is never affected
          {balance.queued.events > 0
            ? `, and ${formatCredits(balance.queued.events)} queued ${balance.queued.events === 1 ? "analysis runs" : "analyses run"} as soon as credits are back`
            : ", and sonic analyses are queued to run as soon as credits are back"}
          . {refill}
        </p>
      </div>
    );
  }
  // Measured on the allowance alone (lib/credits/figures.ts): bonus and purchased spend never count here.
  const usedPercent = balance.allowancePercent;
  if (balance.allowanceUsed * 100 <= balance.allowance * UPGRADE_THRESHOLD_PERCENT) return null;
  return (
    <div role="status" className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
      <span className="font-semibold">
        You’ve used {usedPercent}% of your {balance.plan.name} allowance.
      </span>{" "}
      {nextText && canBuy ? (
        <>
          <a href="#plans" className={link}>
            Upgrade to {nextText}
          </a>{" "}
          or{" "}
          <a href="#packs" className={link}>
            buy a credit pack
          </a>{" "}
          so you don’t run out before the reset.
        </>
      ) : (
        refill
      )}
    </div>
  );
}
