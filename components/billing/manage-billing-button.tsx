"use client";

import { Button } from "@/components/ui/button";
import { useStripeRedirect } from "@/components/billing/use-stripe-redirect";

/** Opens the Stripe Billing Portal (payment methods, invoices, receipts); `label` names what the owner goes there for. */
export function ManageBillingButton({ label = "Manage billing" }: { label?: string }) {
  const { pending, error, go } = useStripeRedirect();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" disabled={pending !== null} onClick={() => go("portal", "/api/stripe/portal")}>
        {pending ? "Opening…" : label}
      </Button>
      {error ? (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
