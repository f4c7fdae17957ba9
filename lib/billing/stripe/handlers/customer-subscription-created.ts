import type Stripe from "stripe";
import { syncSubscription } from "@/lib/billing/stripe/subscriptions";

/** customer.subscription.created: converge the workspace to the subscription as Stripe has it now. */
export async function onCustomerSubscriptionCreated(event: Stripe.Event): Promise<void> {
  await syncSubscription((event.data.object as Stripe.Subscription).id);
}
