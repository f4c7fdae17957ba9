import type Stripe from "stripe";
import { failTopUpPayment } from "@/lib/billing/stripe/auto-top-up";

/** An auto top-up charge failed: switch auto top-up off and tell the owners (no-op if the job already did). */
export async function onPaymentIntentPaymentFailed(event: Stripe.Event): Promise<void> {
  await failTopUpPayment(event.data.object as Stripe.PaymentIntent);
}
