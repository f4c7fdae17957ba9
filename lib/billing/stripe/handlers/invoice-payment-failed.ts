import type Stripe from "stripe";
import { syncSubscription } from "@/lib/billing/stripe/subscriptions";
import { subscriptionOfInvoice } from "@/lib/billing/stripe/invoices";

/** invoice.payment_failed starts (or continues) the failed-payment timeline. */
export async function onInvoicePaymentFailed(event: Stripe.Event): Promise<void> {
  const subscription = subscriptionOfInvoice(event.data.object as Stripe.Invoice);
  if (subscription) await syncSubscription(subscription);
}
