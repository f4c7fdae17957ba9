"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { CheckoutReturn } from "@/lib/billing/stripe/checkout-return";
import { formatCents, formatCredits } from "@/lib/format";
import { requestJson } from "@/components/billing/request-json";

const box = "rounded-md px-4 py-3 text-sm ring-1 ring-inset";

type Props = { outcome: "success" | "cancelled" | null; sessionId: string | null; initial: CheckoutReturn | null };

/**
 * What the visitor sees when Stripe Checkout sends them back here. Until Stripe has confirmed the
 * payment (lib/billing/stripe/checkout-return.ts) it says so and asks again every 1.5 s; once it is
 * done, the page re-renders with the new plan or credits, without a reload.
 */
export function CheckoutNotice(props: Props) {
  // What the page was opened with. The page re-renders without Checkout's parameters once the address
  // drops them (below); the notice stays, saying how it ended.
  const [{ outcome, sessionId, initial }] = useState(props);
  const router = useRouter();
  const queries = useQueryClient();
  const confirming = outcome === "success" && sessionId !== null && initial?.state === "confirming";
  const { data } = useQuery({
    queryKey: ["checkout-return", sessionId],
    queryFn: async (): Promise<CheckoutReturn> => {
      const res = await requestJson<CheckoutReturn>(`/api/stripe/checkout-return?session_id=${encodeURIComponent(sessionId ?? "")}`, {
        method: "GET",
      });
      return res.ok ? res.data : { state: "confirming" };
    },
    enabled: confirming,
    initialData: initial ?? undefined,
    refetchInterval: (query) => (query.state.data?.state === "confirming" ? 1_500 : false),
  });
  // Once there is nothing left to wait for, the address drops Checkout's parameters (a reload or a
  // bookmark then shows the page as it is, not this notice again); when Stripe confirmed while the page
  // was open, the page then re-renders with the new plan or credits.
  const final = outcome !== null && (outcome === "cancelled" || (data ?? initial)?.state !== "confirming");
  const settled = confirming && data?.state === "done";
  useEffect(() => {
    if (!final) return;
    const url = new URL(window.location.href);
    for (const key of ["checkout", "session_id"]) url.searchParams.delete(key);
    const clean = url.pathname + url.search + url.hash;
    if (!settled) return window.history.replaceState(window.history.state, "", clean);
    // A navigation to the clean address renders the page afresh (the new plan or credits).
    void queries.invalidateQueries({ queryKey: ["workspace"] });
    router.replace(clean, { scroll: false });
  }, [final, settled, queries, router]);

  if (outcome === null) return null;
  if (outcome === "cancelled") {
    return (
      <p role="status" className={`${box} bg-slate-50 text-slate-700 ring-slate-200`}>
        <span className="font-semibold">Checkout cancelled.</span> Nothing was charged.
      </p>
    );
  }
  const result = data ?? initial;
  if (!result || result.state === "unknown") return null;
  if (result.state === "confirming") {
    return (
      <p role="status" aria-live="polite" className={`${box} flex items-center gap-2 bg-slate-50 text-slate-700 ring-slate-200`}>
        <span aria-hidden="true" className="h-3 w-3 shrink-0 animate-spin rounded-full border-2 border-indigo-600 border-t-transparent" />
        <span>
          <span className="font-semibold">Confirming your payment…</span> Stripe usually confirms within seconds; this page updates by
          itself.
        </span>
      </p>
    );
  }
  return (
    <p role="status" aria-live="polite" className={`${box} bg-emerald-50 text-emerald-800 ring-emerald-200`}>
      {result.kind === "pack" ? (
        <>
          <span className="font-semibold">Payment received.</span> {formatCredits(result.credits)} credits were added to your workspace.
        </>
      ) : result.trial ? (
        <>
          <span className="font-semibold">Your {result.planName} trial has started.</span> Nothing was charged today.
        </>
      ) : (
        <>
          <span className="font-semibold">You’re on {result.planName}.</span>
          {result.amountCents > 0 ? ` ${formatCents(result.amountCents)} was charged.` : null}
        </>
      )}
    </p>
  );
}
