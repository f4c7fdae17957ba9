import "server-only";
import Stripe from "stripe";
import { db } from "@/lib/db";
import { stripe } from "@/lib/billing/stripe/client";
import { syncPackCheckout } from "@/lib/billing/stripe/purchases";
import { syncSubscription } from "@/lib/billing/stripe/subscriptions";

/**
 * What the visitor back from Stripe Checkout is told, once we know:
 *  - `done`: the purchase shows in the workspace (a pack's credits granted, the subscription adopted);
 *  - `confirming`: Stripe has not confirmed the payment yet (or could not be read): the page says
 *    "Confirming your payment…" and asks again until it is done;
 *  - `unknown`: the session is not this workspace's (or does not exist): nothing is said about it.
 */
export type CheckoutReturn =
  | { state: "confirming" }
  | { state: "unknown" }
  | { state: "done"; kind: "pack"; credits: number }
  | { state: "done"; kind: "plan"; planName: string; trial: boolean; amountCents: number };

export const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]{1,200}$/;

/**
 * Back from Checkout: converge the workspace to the session now, rather than wait for the webhook (both
 * converge to the same state, once — Stripe recommends fulfilling on both). Safe to call any number of
 * times, by anyone signed in to the workspace: it only ever applies what Stripe says.
 */
export async function settleCheckoutReturn(sessionId: string, workspaceId: string): Promise<CheckoutReturn> {
  if (!CHECKOUT_SESSION_ID.test(sessionId)) return { state: "unknown" };
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe().checkout.sessions.retrieve(sessionId, {}, { maxNetworkRetries: 0, timeout: 5_000 });
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "resource_missing") return { state: "unknown" };
    console.error(`stripe: checkout return ${sessionId} unreadable: ${err instanceof Error ? err.message : String(err)}`);
    return { state: "confirming" };
  }
  const owner = session.client_reference_id ?? session.metadata?.workspace_id;
  if (owner !== workspaceId) return { state: "unknown" };
  if (session.status !== "complete") return { state: "confirming" };
  try {
    if (session.mode === "payment") {
      const pack = await syncPackCheckout(session.id);
      return pack.status === "granted" ? { state: "done", kind: "pack", credits: pack.credits } : { state: "confirming" };
    }
    if (session.mode === "subscription" && session.subscription) {
      const subscriptionId = typeof session.subscription === "string" ? session.subscription : session.subscription.id;
      const subscription = await syncSubscription(subscriptionId);
      const workspace = await db.workspace.findUniqueOrThrow({
        where: { id: workspaceId },
        select: { stripeSubscriptionId: true, plan: { select: { name: true } } },
      });
      if (workspace.stripeSubscriptionId !== subscriptionId) return { state: "confirming" };
      return {
        state: "done",
        kind: "plan",
        planName: workspace.plan.name,
        trial: subscription.status === "trialing",
        amountCents: session.amount_total ?? 0,
      };
    }
  } catch (err) {
    // The webhook converges the same state; until then the page keeps asking.
    console.error(`stripe: checkout return ${sessionId} not settled yet: ${err instanceof Error ? err.message : String(err)}`);
    return { state: "confirming" };
  }
  return { state: "unknown" };
}
