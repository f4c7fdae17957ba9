import type Stripe from "stripe";
import { syncPackCheckout } from "@/lib/billing/stripe/purchases";
import { syncCardSetup } from "@/lib/billing/stripe/auto-top-up";

/**
 * A checkout finished. Payment mode: card payments are paid now; async methods follow with
 * async_payment_succeeded. Setup mode: a card saved for auto top-up.
 */
export async function onCheckoutSessionCompleted(event: Stripe.Event): Promise<void> {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.mode === "setup") await syncCardSetup(session.id);
  else await syncPackCheckout(session.id);
}
