import type Stripe from "stripe";
import { checkoutSessionsOf, syncPackCheckout } from "@/lib/billing/stripe/purchases";
import { syncTopUpRefund } from "@/lib/billing/stripe/auto-top-up";

/** A charge was refunded, fully or in part: claw back the refunded share of the pack's unspent credits (Checkout or auto top-up). */
export async function onChargeRefunded(event: Stripe.Event): Promise<void> {
  const charge = event.data.object as Stripe.Charge;
  const intent = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  if (!intent) return; // not a Checkout payment: nothing of ours to claw back
  for (const sessionId of await checkoutSessionsOf(intent)) await syncPackCheckout(sessionId);
  await syncTopUpRefund(charge); // an auto top-up's payment (no checkout session): same clawback
}
