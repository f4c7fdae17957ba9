"use client";

import { useQuery } from "@tanstack/react-query";
import type { BalanceWithAlerts } from "@/lib/alerts/rules";

export const balanceQueryKey = ["workspace", "balance"] as const;

/** The current workspace's balance with its usage alerts (/api/workspace/balance). */
export async function fetchBalance(): Promise<BalanceWithAlerts> {
  const res = await fetch("/api/workspace/balance", { cache: "no-store" });
  if (!res.ok) throw new Error(`balance request failed (${res.status})`);
  return res.json();
}

/**
 * The workspace balance, seeded by the server render and refreshed live while the page is visible:
 * every 3 s (a debit through the API shows within seconds), every 1.5 s while a payment is being
 * confirmed (back from Checkout). One small request (lib/credits/balance.ts reads a few rows).
 */
export function useBalance(initial: BalanceWithAlerts, fast = false) {
  return useQuery({
    queryKey: balanceQueryKey,
    queryFn: fetchBalance,
    initialData: initial,
    refetchInterval: fast ? 1_500 : 3_000,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}
