"use client";

import { usePendingAlertCount } from "@/components/alerts/use-usage-alerts";

/**
 * A dot on the Billing tab while a usage alert waits to be seen. Not on the billing page itself, where
 * the notice is (and its own live query).
 */
export function BillingAlertDot({ onBillingPage }: { onBillingPage: boolean }) {
  const count = usePendingAlertCount(!onBillingPage);
  if (count === 0) return null;
  return (
    <>
      <span aria-hidden="true" className="ml-1.5 inline-block h-2 w-2 rounded-full bg-red-500 align-middle" />
      <span className="sr-only"> (usage alert)</span>
    </>
  );
}
