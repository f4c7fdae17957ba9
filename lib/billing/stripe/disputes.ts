import "server-only";
import type Stripe from "stripe";
import { db } from "@/lib/db";
import { clawBack, freezePurchase, releasePurchase } from "@/lib/credits";
import { formatCents } from "@/lib/format";
import { stripe } from "@/lib/billing/stripe/client";
import { packMetadataSchema } from "@/lib/billing/stripe/checkout";
import { checkoutSessionsOf, packSource, refundedCredits } from "@/lib/billing/stripe/purchases";
import { topUpSource } from "@/lib/billing/stripe/auto-top-up";

/**
 * Disputes (chargebacks) on a pack's payment. While a dispute is open the pack's unspent credits are
 * frozen (FREEZE entries: not spendable, still in the grant's history); won → released (UNFREEZE); lost →
 * released and clawed back (CLAWBACK) as far as they are unspent. Spent credits stay spent: never a
 * negative balance.
 *
 * Order-independent: both charge.dispute.created and charge.dispute.closed call syncDispute, which reads
 * the dispute from Stripe and converges to its current status. A "created" arriving after "closed" sees
 * the closed dispute and freezes nothing.
 */

export type DisputeSync = { status: "not_a_pack" | "frozen" | "released" | "clawed_back"; credits: number };

const OPEN = new Set<Stripe.Dispute.Status>(["warning_needs_response", "warning_under_review", "needs_response", "under_review"]);

/** The purchase a payment intent paid for: auto top-up (payment_intent:pi_…) or Checkout (checkout:cs_…). */
async function purchaseOf(intent: Stripe.PaymentIntent): Promise<{ workspaceId: string; source: string; credits: number } | null> {
  const meta = packMetadataSchema.safeParse(intent.metadata ?? {});
  if (!meta.success) return null;
  const { workspace_id: workspaceId, credits } = meta.data;
  if (intent.metadata?.auto_top_up_attempt) return { workspaceId, source: topUpSource(intent.id), credits };
  const [sessionId] = await checkoutSessionsOf(intent.id);
  return sessionId ? { workspaceId, source: packSource(sessionId), credits } : null;
}

export async function syncDispute(disputeId: string): Promise<DisputeSync> {
  const dispute = await stripe().disputes.retrieve(disputeId, { expand: ["charge", "payment_intent"] });
  const intent = typeof dispute.payment_intent === "object" ? dispute.payment_intent : null;
  const charge = typeof dispute.charge === "object" ? dispute.charge : null;
  if (!intent || !charge) return { status: "not_a_pack", credits: 0 };
  const purchase = await purchaseOf(intent);
  if (!purchase) return { status: "not_a_pack", credits: 0 };
  const base = { workspaceId: purchase.workspaceId, source: purchase.source, reference: dispute.id };

  if (OPEN.has(dispute.status)) {
    const frozen = await freezePurchase({
      ...base,
      reason: `Stripe dispute ${dispute.id} (${dispute.reason}) on ${charge.id}: ${formatCents(dispute.amount)} disputed`,
    });
    return { status: "frozen", credits: frozen ?? 0 };
  }
  if (dispute.status === "lost") {
    // Release what the dispute froze, then take back the disputed share (plus any refunded share: the
    // clawback converges to a total), in one transaction under the workspace lock.
    const disputed = refundedCredits({ amount: charge.amount, amount_refunded: dispute.amount }, purchase.credits);
    const refunded = refundedCredits(charge, purchase.credits);
    const clawed = await db.$transaction(async (tx) => {
      await releasePurchase({ ...base, reason: `Stripe dispute ${dispute.id} lost: frozen credits released to be clawed back` }, tx);
      return clawBack(
        {
          workspaceId: purchase.workspaceId,
          source: purchase.source,
          credits: Math.min(purchase.credits, disputed + refunded),
          reason: `Stripe dispute ${dispute.id} lost on ${charge.id}: ${formatCents(dispute.amount)} charged back`,
          reference: dispute.id,
        },
        tx,
      );
    });
    return { status: "clawed_back", credits: clawed?.clawed ?? 0 };
  }
  // won, or warning_closed (an inquiry that never became a chargeback): the credits are the customer's.
  const released = await releasePurchase({ ...base, reason: `Stripe dispute ${dispute.id} closed (${dispute.status}): credits released` });
  return { status: "released", credits: released ?? 0 };
}
