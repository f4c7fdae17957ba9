import type { Metadata } from "next";
import { portalReturnContext, settlePortalReturn, syncBillingPortalReturn } from "@/lib/portal-sessions/billing";
import { PORTAL_RETURN_MARK } from "@/lib/billing/stripe/portal";
import { formatCents, formatCredits } from "@/lib/format";
import { Card } from "@/components/ui/card";
import { CloseWindowButton } from "@/components/portal/close-window-button";

export const metadata: Metadata = { title: "Billing", robots: { index: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

/**
 * Where Stripe's window comes back to when Checkout or the Billing Portal was opened from billing inside
 * an AI product (lib/portal-sessions/billing.ts). A paid Checkout is applied at once, as Settings →
 * Billing does; the billing panel in the product's window picks the new credits up by itself.
 */
export default async function PortalReturnPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const portalSessionId = one(query.ps);
  const [context, outcome] = await Promise.all([
    portalReturnContext(portalSessionId),
    query.checkout === "success" ? settlePortalReturn(portalSessionId, one(query.session_id)) : null,
    query.from === PORTAL_RETURN_MARK ? syncBillingPortalReturn(portalSessionId) : null,
  ]);
  const product = context.productName ?? "the app";
  let title: string;
  let detail: string;
  if (query.checkout === "cancelled") {
    title = "Checkout cancelled";
    detail = "Nothing was charged.";
  } else if (query.checkout === "success" && outcome?.state === "done") {
    title = "Payment received";
    detail =
      outcome.kind === "pack"
        ? `${formatCredits(outcome.credits)} credits were added.`
        : outcome.trial
          ? `Your ${outcome.planName} trial has started. Nothing was charged today.`
          : `You’re on ${outcome.planName}.${outcome.amountCents > 0 ? ` ${formatCents(outcome.amountCents)} was charged.` : ""}`;
  } else if (query.checkout === "success") {
    title = "Confirming your payment";
    detail = "Stripe usually confirms within seconds.";
  } else {
    title = "All done";
    detail = "Your billing details are saved.";
  }
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <Card aria-labelledby="return-heading" className="w-full max-w-md px-6 py-8 text-center">
        <h1 id="return-heading" className="text-lg font-semibold text-slate-900">
          {title}
        </h1>
        <p role="status" className="mt-2 text-sm text-slate-600">
          {detail} You can close this window: billing in {product} updates by itself.
        </p>
        <CloseWindowButton />
      </Card>
    </main>
  );
}
