import type Stripe from "stripe";
import { syncDispute } from "@/lib/billing/stripe/disputes";

/** A chargeback was opened on a pack's payment: its unspent credits are frozen until it closes. */
export async function onChargeDisputeCreated(event: Stripe.Event): Promise<void> {
  await syncDispute((event.data.object as Stripe.Dispute).id);
}
