"use client";

import { Suspense } from "react";
import type { BalanceWithAlerts } from "@/lib/alerts/rules";
import type { AlertAction } from "@/components/alerts/types";
import { useBalance } from "@/components/billing/use-balance";
import { CreditsSummary } from "@/components/billing/credits-summary";
import { UsageBreakdown } from "@/components/billing/usage-breakdown";
import { CreditBuckets } from "@/components/billing/credit-buckets";
import { DailyUsage } from "@/components/billing/daily-usage";
import { UsagePrompt } from "@/components/billing/usage-prompt";
import type { PlanView } from "@/components/billing/plan-picker";

/**
 * The AI credit usage panel: server-rendered figures that keep refreshing while the page is open.
 * `compact` (billing inside an AI product, on request) leaves out the daily chart and the buckets.
 */
type Props = {
  initial: BalanceWithAlerts;
  plans: PlanView[];
  canBuy: boolean;
  payments: boolean;
  awaitingPayment?: boolean;
  dismissAlert: AlertAction;
  compact?: boolean;
};

export function BillingPanel({ initial, plans, canBuy, payments, awaitingPayment = false, dismissAlert, compact = false }: Props) {
  const { data: balance, isError } = useBalance(initial, awaitingPayment);
  return (
    <div className="space-y-6">
      {isError ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-200">
          Couldn’t refresh the figures; showing the last known values.
        </p>
      ) : null}
      <Suspense>
        <UsagePrompt balance={balance} plans={plans} canBuy={canBuy} payments={payments} dismissAction={dismissAlert} />
      </Suspense>
      <Suspense>
        <CreditsSummary balance={balance} />
      </Suspense>
      {/* Each card is its own Suspense boundary, so the browser hydrates them in separate short tasks
          (the page stays responsive on a slow phone) instead of one long one. */}
      <Suspense>
        <div className="render-when-visible">
          <UsageBreakdown breakdown={balance.breakdown} />
        </div>
      </Suspense>
      {compact ? null : (
        <>
          <Suspense>
            <div className="render-when-visible">
              <DailyUsage daily={balance.daily} period={balance.period} asOf={balance.asOf} />
            </div>
          </Suspense>
          <Suspense>
            <div className="render-when-visible">
              <CreditBuckets balance={balance} />
            </div>
          </Suspense>
        </>
      )}
    </div>
  );
}
