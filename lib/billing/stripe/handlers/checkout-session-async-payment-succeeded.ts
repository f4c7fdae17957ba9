import type Stripe from "stripe";
import { syncPackCheckout } from "@/lib/billing/stripe/purchases";

/** A delayed payment (bank transfer…) for a checkout cleared: the pack is granted now. */
export async function onCheckoutSessionAsyncPaymentSucceeded(event: Stripe.Event): Promise<void> {
  const session = event.data.object as Stripe.Checkout.Session;
  await syncPackCheckout(session.id);
}
