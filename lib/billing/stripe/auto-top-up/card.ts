import "server-only";
import { db } from "@/lib/db";
import { appUrl } from "@/lib/env";
import { stripe } from "@/lib/billing/stripe/client";
import { ensureCustomer } from "@/lib/billing/stripe/customers";
import { AUTO_TOP_UP_PURPOSE } from "@/lib/billing/stripe/auto-top-up/common";

/** The card auto top-up charges: saved through setup-mode Checkout (a SetupIntent), kept on the workspace. */

/** Opens a setup-mode Checkout Session that saves a card for off-session top-ups. */
export async function createCardSetupSession(input: { workspaceId: string; email: string }): Promise<{ id: string; url: string }> {
  const customer = await ensureCustomer(input.workspaceId, input.email);
  const session = await stripe().checkout.sessions.create({
    mode: "setup",
    customer,
    currency: "usd",
    client_reference_id: input.workspaceId,
    metadata: { workspace_id: input.workspaceId, purpose: AUTO_TOP_UP_PURPOSE },
    setup_intent_data: { metadata: { workspace_id: input.workspaceId, purpose: AUTO_TOP_UP_PURPOSE } },
    success_url: appUrl("/settings/billing?setup=success&session_id={CHECKOUT_SESSION_ID}#auto-top-up"),
    cancel_url: appUrl("/settings/billing?setup=cancelled#auto-top-up"),
  });
  if (!session.url) throw new Error(`Stripe returned setup session ${session.id} without a URL`);
  return { id: session.id, url: session.url };
}

export type CardSync = { status: "not_ours" | "open" | "saved"; workspaceId?: string };

/**
 * Converges a setup-mode session to Stripe's state: completed → its card is the workspace's auto top-up
 * card (and the customer's default). Safe to run twice, from the webhook and the return page alike.
 * `workspaceId`, when given, must own the session (the return page passes the signed-in workspace).
 */
export async function syncCardSetup(sessionId: string, workspaceId?: string): Promise<CardSync> {
  const session = await stripe().checkout.sessions.retrieve(sessionId, { expand: ["setup_intent.payment_method"] });
  const owner = session.metadata?.workspace_id;
  if (session.mode !== "setup" || session.metadata?.purpose !== AUTO_TOP_UP_PURPOSE || !owner) return { status: "not_ours" };
  if (workspaceId && owner !== workspaceId) return { status: "not_ours" };
  const intent = typeof session.setup_intent === "object" ? session.setup_intent : null;
  if (session.status !== "complete" || !intent || intent.status !== "succeeded") return { status: "open", workspaceId: owner };
  const method = typeof intent.payment_method === "object" ? intent.payment_method : null;
  if (!method) return { status: "open", workspaceId: owner };
  const customer = typeof session.customer === "string" ? session.customer : session.customer?.id;
  if (customer) await stripe().customers.update(customer, { invoice_settings: { default_payment_method: method.id } });
  const card = { paymentMethodId: method.id, cardBrand: method.card?.brand ?? "card", cardLast4: method.card?.last4 ?? "••••" };
  await db.autoTopUp.upsert({ where: { workspaceId: owner }, create: { workspaceId: owner, ...card }, update: card });
  return { status: "saved", workspaceId: owner };
}
