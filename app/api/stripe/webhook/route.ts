import { handleStripeWebhook } from "@/lib/billing/stripe/webhook";

export const dynamic = "force-dynamic";

/** Stripe's webhook deliveries: verified, recorded once, handled (lib/billing/stripe/webhook.ts). */
export const POST = handleStripeWebhook;
