import type Stripe from "stripe";
import { onChargeRefunded } from "@/lib/billing/stripe/handlers/charge-refunded";
import { onCheckoutSessionAsyncPaymentSucceeded } from "@/lib/billing/stripe/handlers/checkout-session-async-payment-succeeded";
import { onCheckoutSessionCompleted } from "@/lib/billing/stripe/handlers/checkout-session-completed";

export type StripeEventHandler = (event: Stripe.Event) => Promise<void>;

/** One handler per event type we act on. Every other type is acknowledged and ignored. */
export const STRIPE_EVENT_HANDLERS: Partial<Record<Stripe.Event.Type, StripeEventHandler>> = {
  "checkout.session.completed": onCheckoutSessionCompleted,
  "checkout.session.async_payment_succeeded": onCheckoutSessionAsyncPaymentSucceeded,
  "charge.refunded": onChargeRefunded,
};
