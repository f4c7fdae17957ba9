import type Stripe from "stripe";
import { syncSubscription } from "@/lib/billing/stripe/subscriptions";
import { subscriptionOfInvoice } from "@/lib/billing/stripe/invoices";

/** invoice.paid clears a past-due state (credits come from the period rollover, not from invoices). */
export async function onInvoicePaid(event: Stripe.Event): Promise<void> {
  const subscription = subscriptionOfInvoice(event.data.object as Stripe.Invoice);
  if (subscription) await syncSubscription(subscription);
}
