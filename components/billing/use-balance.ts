"use client";

import { useQuery } from "@tanstack/react-query";
import type { Balance } from "@/lib/credits/balance";

export const balanceQueryKey = ["workspace", "balance"] as const;

/** The workspace balance, seeded by the server render and refreshed live. */
export function useBalance(initial: Balance) {
  return useQuery({
    queryKey: balanceQueryKey,
    queryFn: async (): Promise<Balance> => {
      const res = await fetch("/api/workspace/balance", { cache: "no-store" });
      if (!res.ok) throw new Error(`balance request failed (${res.status})`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
}
