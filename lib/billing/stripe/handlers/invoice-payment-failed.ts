import type Stripe from "stripe";
import { syncSubscription } from "@/lib/billing/stripe/subscriptions";
import { subscriptionOfInvoice } from "@/lib/billing/stripe/invoices";
import { notifyPaymentFailed } from "@/lib/billing/notifications";

/** invoice.payment_failed starts (or continues) the failed-payment timeline, and tells the owners once per invoice. */
export async function onInvoicePaymentFailed(event: Stripe.Event): Promise<void> {
  const invoice = event.data.object as Stripe.Invoice;
  const subscription = subscriptionOfInvoice(invoice);
  if (!subscription || !invoice.id) return;
  await notifyPaymentFailed(invoice.id, await syncSubscription(subscription));
}
