"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchBalance } from "@/components/billing/use-balance";

/** Elsewhere in the portal (the Billing nav dot): how many alerts wait; on load, then every minute. */
export const pendingAlertsQueryKey = ["workspace", "usage-alerts"] as const;

export function usePendingAlertCount(enabled: boolean): number {
  const { data } = useQuery({
    queryKey: pendingAlertsQueryKey,
    queryFn: async () => (await fetchBalance()).alerts?.length ?? 0,
    enabled,
    staleTime: 30_000,
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
    retry: false,
  });
  return enabled ? (data ?? 0) : 0;
}
