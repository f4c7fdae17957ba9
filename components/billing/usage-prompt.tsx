"use client";

import { useState, useTransition } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { usageBanner, type BalanceWithAlerts, type UsageAlertView } from "@/lib/alerts/rules";
import type { PlanView } from "@/components/billing/plan-picker";
import { formatCents, formatCountdown, formatCredits, formatUtcDay } from "@/lib/format";
import { balanceQueryKey } from "@/components/billing/use-balance";
import { pendingAlertsQueryKey } from "@/components/alerts/use-usage-alerts";
import { covered, UsageAlertNotice } from "@/components/alerts/usage-alert-notice";
import type { AlertAction } from "@/components/alerts/types";
import { useWithWorkspace } from "@/components/layout/workspace-scope";

const link = "font-semibold underline underline-offset-2 hover:no-underline";

type Props = { balance: BalanceWithAlerts; plans: PlanView[]; canBuy: boolean; payments: boolean; dismissAction: AlertAction };

/** The balance as the banner sees it once the viewer's dismissals are applied (before the server confirms them). */
function afterDismissals(balance: BalanceWithAlerts, dismissed: UsageAlertView[]): BalanceWithAlerts {
  if (dismissed.length === 0) return balance;
  const highest = Math.max(balance.dismissedThreshold ?? 0, ...dismissed.map((d) => d.threshold));
  return { ...balance, alerts: balance.alerts.filter((a) => !dismissed.some((d) => covered(a, d))), dismissedThreshold: highest };
}

/**
 * The one usage banner on Billing (lib/alerts/rules.ts usageBanner): out of credits — what still works
 * and how to refill; an undismissed usage alert — with the next tier when above 80 %; above 80 % with
 * no alert — the next tier by name, its allowance and price. Nothing for unlimited plans.
 */
export function UsagePrompt({ balance, plans, canBuy, payments, dismissAction }: Props) {
  const [dismissed, setDismissed] = useState<UsageAlertView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const queryClient = useQueryClient();
  const withWorkspace = useWithWorkspace();
  const banner = usageBanner(afterDismissals(balance, dismissed));

  const dismiss = (alert: UsageAlertView) => {
    setError(null);
    setDismissed((d) => [...d, alert]);
    const data = new FormData();
    data.set("id", alert.id);
    startTransition(async () => {
      const result = await dismissAction(withWorkspace(data));
      if (!result.ok) {
        setDismissed((d) => d.filter((x) => x.id !== alert.id));
        setError(result.message ?? "Couldn’t dismiss the alert. Please try again.");
        return;
      }
      queryClient.setQueryData<BalanceWithAlerts>(balanceQueryKey, (old) => (old ? afterDismissals(old, [alert]) : old));
      void queryClient.invalidateQueries({ queryKey: pendingAlertsQueryKey });
    });
  };

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
    nextText ? (
      `The next tier is ${nextText}.`
    ) : (
      ""
    )
  ) : (
    "Ask a workspace owner to buy a pack or upgrade."
  );
  const offer =
    nextText && canBuy ? (
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
    );
  const failed = error ? (
    <p role="alert" className="text-sm text-red-600">
      {error}
    </p>
  ) : null;

  if (!banner) return failed;
  if (banner.kind === "out") {
    return (
      <div role="alert" className="rounded-lg bg-red-50 px-4 py-4 text-sm text-red-900 ring-1 ring-inset ring-red-200">
        <p className="text-base font-semibold">You’re out of credits.</p>
        <p className="mt-1">
          New chats and generations are refused until credits arrive: your allowance resets{" "}
          {formatCountdown(balance.asOf, balance.period.end)} ({formatUtcDay(balance.period.end)}). Your data is never affected
          {balance.queued.events > 0
            ? `, and ${formatCredits(balance.queued.events)} queued ${balance.queued.events === 1 ? "analysis runs" : "analyses run"} as soon as credits are back`
            : ", and sonic analyses are queued to run as soon as credits are back"}
          . {refill}
        </p>
      </div>
    );
  }
  if (banner.kind === "alert") {
    return (
      <>
        <UsageAlertNotice alert={banner.alert} onDismiss={() => dismiss(banner.alert)}>
          {banner.offer ? offer : null}
        </UsageAlertNotice>
        {failed}
      </>
    );
  }
  return (
    <div role="status" className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
      <span className="font-semibold">
        You’ve used {balance.allowancePercent}% of your {balance.plan.name} allowance.
      </span>{" "}
      {offer}
    </div>
  );
}
