"use client";

import { Button } from "@/components/ui/button";
import { useStripeRedirect } from "@/components/billing/use-stripe-redirect";
import { useBillingApi } from "@/components/billing/billing-api";
import { StripeWindowLink } from "@/components/billing/stripe-window-link";

/** Opens the Stripe Billing Portal (payment methods, invoices, receipts); `label` names what the owner goes there for. */
export function ManageBillingButton({ label = "Manage billing" }: { label?: string }) {
  const { pending, error, blocked, go } = useStripeRedirect();
  const api = useBillingApi();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" disabled={pending !== null} onClick={() => go("portal", api.routes.manageBilling)}>
        {pending ? "Opening…" : label}
      </Button>
      <StripeWindowLink url={blocked} className="max-w-xs text-right" />
      {error ? (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
