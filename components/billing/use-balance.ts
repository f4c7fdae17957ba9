"use client";

import { useQuery } from "@tanstack/react-query";
import type { Balance } from "@/lib/credits/balance";

export const balanceQueryKey = ["workspace", "balance"] as const;

/**
 * The workspace balance, seeded by the server render and refreshed live: every 30 s, or every 2 s
 * while a payment is being confirmed (back from Checkout).
 */
export function useBalance(initial: Balance, fast = false) {
  return useQuery({
    queryKey: balanceQueryKey,
    queryFn: async (): Promise<Balance> => {
      const res = await fetch("/api/workspace/balance", { cache: "no-store" });
      if (!res.ok) throw new Error(`balance request failed (${res.status})`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: fast ? 2_000 : 30_000,
    refetchOnWindowFocus: true,
  });
}
