"use client";

import { useQuery } from "@tanstack/react-query";
import type { BalanceWithAlerts } from "@/lib/alerts/rules";
import { BillingRequestError, useBillingApi } from "@/components/billing/billing-api";

export const balanceQueryKey = ["workspace", "balance"] as const;

/** The balance with its usage alerts: the current workspace's (/api/workspace/balance) unless a billing route and headers are given. */
export async function fetchBalance(route = "/api/workspace/balance", headers: Record<string, string> = {}): Promise<BalanceWithAlerts> {
  const res = await fetch(route, { cache: "no-store", headers });
  if (!res.ok) throw new BillingRequestError(res.status);
  return res.json();
}

/**
 * The workspace balance, seeded by the server render and refreshed live while the page is visible:
 * every 3 s (a debit through the API shows within seconds), every 1.5 s while a payment is being
 * confirmed (back from Checkout, or Checkout open in another window). One small request
 * (lib/credits/balance.ts reads a few rows), from the routes of components/billing/billing-api.tsx.
 */
export function useBalance(initial: BalanceWithAlerts, fast = false) {
  const api = useBillingApi();
  return useQuery({
    queryKey: balanceQueryKey,
    queryFn: () => fetchBalance(api.routes.balance, api.headers),
    initialData: initial,
    refetchInterval: fast ? 1_500 : 3_000,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}
