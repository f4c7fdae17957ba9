import type Stripe from "stripe";
import { settleTopUpPayment } from "@/lib/billing/stripe/auto-top-up";

/** An off-session auto top-up was paid: grant its pack (once, by payment intent). Checkout's payments are granted by checkout.session.completed. */
export async function onPaymentIntentSucceeded(event: Stripe.Event): Promise<void> {
  const intent = event.data.object as Stripe.PaymentIntent;
  if (!intent.metadata?.auto_top_up_attempt) return;
  await settleTopUpPayment(intent.id);
}
