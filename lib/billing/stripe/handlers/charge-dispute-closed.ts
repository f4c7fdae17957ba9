import type Stripe from "stripe";
import { syncDispute } from "@/lib/billing/stripe/disputes";

/** A chargeback closed: won → the frozen credits are released; lost → they are clawed back. */
export async function onChargeDisputeClosed(event: Stripe.Event): Promise<void> {
  await syncDispute((event.data.object as Stripe.Dispute).id);
}
