import type Stripe from "stripe";
import { syncPackCheckout } from "@/lib/billing/stripe/purchases";

/** A checkout finished. Card payments are paid now; async methods follow with async_payment_succeeded. */
export async function onCheckoutSessionCompleted(event: Stripe.Event): Promise<void> {
  const session = event.data.object as Stripe.Checkout.Session;
  await syncPackCheckout(session.id);
}
