import type Stripe from "stripe";
import { syncSubscription } from "@/lib/billing/stripe/subscriptions";
import { notifyTrialEnding } from "@/lib/billing/notifications";

/** customer.subscription.trial_will_end (3 days before): converge, then tell the owners what happens at the trial's end. */
export async function onCustomerSubscriptionTrialWillEnd(event: Stripe.Event): Promise<void> {
  await notifyTrialEnding(await syncSubscription((event.data.object as Stripe.Subscription).id));
}
