import type Stripe from "stripe";
import { syncSubscription } from "@/lib/billing/stripe/subscriptions";

/** customer.subscription.updated: converge the workspace to the subscription as Stripe has it now. */
export async function onCustomerSubscriptionUpdated(event: Stripe.Event): Promise<void> {
  await syncSubscription((event.data.object as Stripe.Subscription).id);
}
