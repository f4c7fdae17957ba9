import type Stripe from "stripe";

/** The subscription an invoice bills, if any (API 2025+: under parent.subscription_details). */
export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  const ref = invoice.parent?.subscription_details?.subscription;
  if (!ref) return null;
  return typeof ref === "string" ? ref : ref.id;
}
