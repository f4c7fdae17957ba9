import "server-only";
import type Stripe from "stripe";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { addCredits, clawBack } from "@/lib/credits";
import { formatCents } from "@/lib/format";
import { stripe } from "@/lib/billing/stripe/client";
import { packMetadataSchema } from "@/lib/billing/stripe/checkout";

export type PackSync =
  { status: "not_a_pack" } | { status: "awaiting_payment" } | { status: "granted"; credits: number; clawedBack: number };

const DAY_MS = 86_400_000;

/** The grant source of a pack bought through this checkout session: one grant per session, ever. */
export const packSource = (sessionId: string) => `checkout:${sessionId}`;

/**
 * Converges a pack checkout to what Stripe says now, whichever event brought us here and in whatever
 * order they came: paid → the PURCHASED grant exists (once, by its unique source); refunded → the
 * refunded share of its credits has been clawed back (as far as they are unspent). Reads the session
 * from Stripe rather than trusting the event's copy, which may be stale.
 */
export async function syncPackCheckout(sessionId: string): Promise<PackSync> {
  const session = await stripe().checkout.sessions.retrieve(sessionId, { expand: ["payment_intent.latest_charge"] });
  const meta = packMetadataSchema.safeParse(session.metadata ?? {});
  if (session.mode !== "payment" || !meta.success) return { status: "not_a_pack" };
  // Async payment methods complete the session unpaid; checkout.session.async_payment_succeeded follows.
  if (session.payment_status !== "paid") return { status: "awaiting_payment" };

  const { workspace_id: workspaceId, pack_id: packId, credits, validity_days: validityDays } = meta.data;
  const intent = typeof session.payment_intent === "object" ? session.payment_intent : null;
  const charge = intent && typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  const paidAt = charge ? new Date(charge.created * 1000) : now();
  const source = packSource(session.id);

  return db.$transaction(async (tx) => {
    await addCredits(
      {
        workspaceId,
        type: "PURCHASED",
        credits,
        expiresAt: validityDays ? new Date(paidAt.getTime() + validityDays * DAY_MS) : null,
        source,
        reason: `Credit pack ${packId} bought through Stripe Checkout${intent ? ` (payment ${intent.id})` : ""}`,
        reference: session.id,
      },
      tx,
    );
    const refunded = charge ? refundedCredits(charge, credits) : 0;
    if (!charge || refunded === 0) return { status: "granted", credits, clawedBack: 0 };
    const clawed = await clawBack(
      {
        workspaceId,
        source,
        credits: refunded,
        reason: `Stripe refund of ${charge.id}: ${formatCents(charge.amount_refunded)} of ${formatCents(charge.amount)}`,
        reference: charge.id,
      },
      tx,
    );
    return { status: "granted", credits, clawedBack: clawed?.total ?? 0 };
  });
}

/** The refunded share of a pack's credits, proportional to the money refunded, rounded in the customer's favour. */
export function refundedCredits(charge: Pick<Stripe.Charge, "amount" | "amount_refunded">, credits: number): number {
  if (charge.amount <= 0 || charge.amount_refunded <= 0) return 0;
  return Math.floor((credits * Math.min(charge.amount_refunded, charge.amount)) / charge.amount);
}

/** The pack checkouts paid by this payment intent (one, for packs bought through Checkout). */
export async function checkoutSessionsOf(paymentIntentId: string): Promise<string[]> {
  const sessions = await stripe().checkout.sessions.list({ payment_intent: paymentIntentId, limit: 10 });
  return sessions.data.map((s) => s.id);
}
