import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * The one Stripe client. Production talks to api.stripe.com; the demo and the tests set
 * STRIPE_API_BASE to the local emulator (scripts/stripe-emulator). Nothing else differs between them
 * (docs/decisions/005-stripe-emulator.md).
 */
let client: Stripe | undefined;

export function stripe(): Stripe {
  if (!env.STRIPE_SECRET_KEY) {
    throw new AppError("service_unavailable", "Payments are not configured on this server.", {
      nextStep: "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (see README → Configuration).",
    });
  }
  client ??= new Stripe(env.STRIPE_SECRET_KEY, {
    ...hostOptions(env.STRIPE_API_BASE),
    maxNetworkRetries: 2,
    appInfo: { name: "Creditbook" },
  });
  return client;
}

function hostOptions(base: string | undefined): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (!base) return {};
  const url = new URL(base);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: Number(url.port || (protocol === "http" ? 80 : 443)), protocol };
}

export function paymentsConfigured(): boolean {
  return Boolean(env.STRIPE_SECRET_KEY);
}

/** True when payments go to the local emulator (or any host but Stripe's): the UI says so plainly. */
export function paymentsSimulated(): boolean {
  return Boolean(env.STRIPE_API_BASE) && new URL(env.STRIPE_API_BASE!).hostname !== "api.stripe.com";
}

export function webhookSecret(): string {
  if (!env.STRIPE_WEBHOOK_SECRET) throw new AppError("service_unavailable", "Stripe webhooks are not configured on this server.");
  return env.STRIPE_WEBHOOK_SECRET;
}
