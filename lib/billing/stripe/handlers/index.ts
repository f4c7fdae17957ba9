import type Stripe from "stripe";
import { onChargeDisputeClosed } from "@/lib/billing/stripe/handlers/charge-dispute-closed";
import { onChargeDisputeCreated } from "@/lib/billing/stripe/handlers/charge-dispute-created";
import { onPaymentIntentPaymentFailed } from "@/lib/billing/stripe/handlers/payment-intent-payment-failed";
import { onPaymentIntentSucceeded } from "@/lib/billing/stripe/handlers/payment-intent-succeeded";
import { onChargeRefunded } from "@/lib/billing/stripe/handlers/charge-refunded";
import { onCheckoutSessionAsyncPaymentSucceeded } from "@/lib/billing/stripe/handlers/checkout-session-async-payment-succeeded";
import { onCheckoutSessionCompleted } from "@/lib/billing/stripe/handlers/checkout-session-completed";
import { onCustomerSubscriptionCreated } from "@/lib/billing/stripe/handlers/customer-subscription-created";
import { onCustomerSubscriptionDeleted } from "@/lib/billing/stripe/handlers/customer-subscription-deleted";
import { onCustomerSubscriptionTrialWillEnd } from "@/lib/billing/stripe/handlers/customer-subscription-trial-will-end";
import { onCustomerSubscriptionUpdated } from "@/lib/billing/stripe/handlers/customer-subscription-updated";
import { onInvoicePaid } from "@/lib/billing/stripe/handlers/invoice-paid";
import { onInvoicePaymentFailed } from "@/lib/billing/stripe/handlers/invoice-payment-failed";

export type StripeEventHandler = (event: Stripe.Event) => Promise<void>;

/** One handler per event type we act on. Every other type is acknowledged and ignored. */
export const STRIPE_EVENT_HANDLERS: Partial<Record<Stripe.Event.Type, StripeEventHandler>> = {
  "checkout.session.completed": onCheckoutSessionCompleted,
  "checkout.session.async_payment_succeeded": onCheckoutSessionAsyncPaymentSucceeded,
  "charge.refunded": onChargeRefunded,
  "charge.dispute.created": onChargeDisputeCreated,
  "charge.dispute.closed": onChargeDisputeClosed,
  "payment_intent.succeeded": onPaymentIntentSucceeded,
  "payment_intent.payment_failed": onPaymentIntentPaymentFailed,
  "customer.subscription.created": onCustomerSubscriptionCreated,
  "customer.subscription.updated": onCustomerSubscriptionUpdated,
  "customer.subscription.deleted": onCustomerSubscriptionDeleted,
  "customer.subscription.trial_will_end": onCustomerSubscriptionTrialWillEnd,
  "invoice.paid": onInvoicePaid,
  "invoice.payment_failed": onInvoicePaymentFailed,
};
