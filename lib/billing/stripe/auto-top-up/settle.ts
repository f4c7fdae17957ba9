import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { addCredits, clawBack } from "@/lib/credits";
import { formatCents } from "@/lib/format";
import { stripe } from "@/lib/billing/stripe/client";
import { packMetadataSchema } from "@/lib/billing/stripe/checkout";
import { refundedCredits } from "@/lib/billing/stripe/purchases";
import { notifyAutoTopUpFailed } from "@/lib/billing/notifications";
import { AUTO_TOP_UP_PURPOSE, declineReason, topUpSource } from "@/lib/billing/stripe/auto-top-up/common";

/**
 * Settlement: a charge that will not go through switches auto top-up off (from the job or the
 * payment_intent.payment_failed webhook); payment_intent.succeeded grants the pack; charge.refunded
 * claws the refunded share back.
 */

export const AUTO_TOP_UP_FAILED_EVENT = "auto_top_up.failed";

/**
 * A charge that will not go through: the attempt keeps its outcome, auto top-up is switched off (the
 * hot-path switch too), the banner and owners' notice go up, and the workspace's alert webhook hears
 * about it — an outbox row in the same transaction, delivered with retries (lib/jobs/webhooks.ts).
 */
export async function switchOff(
  attempt: { id: string; workspaceId: string },
  status: "DECLINED" | "FAILED",
  reason: string,
  at: Date,
  paymentIntentId: string | null,
): Promise<void> {
  const settled = await db.$transaction(async (tx) => {
    // Conditional: a decline reported twice (the job and payment_intent.payment_failed) settles once.
    const moved = await tx.autoTopUpAttempt.updateMany({
      where: { id: attempt.id, status: { in: ["PENDING", "CHARGING"] } },
      data: { status, reason, settledAt: at, ...(paymentIntentId ? { paymentIntentId } : {}) },
    });
    if (moved.count === 0) return false;
    await disableInTx(tx, attempt.workspaceId, reason, at);
    const row = await tx.autoTopUpAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: attempt.workspaceId }, select: { alertWebhookUrl: true } });
    if (workspace.alertWebhookUrl) {
      await tx.webhookDelivery.createMany({
        data: [
          {
            workspaceId: attempt.workspaceId,
            eventId: attempt.id,
            type: AUTO_TOP_UP_FAILED_EVENT,
            nextAttemptAt: at,
            payload: {
              workspace_id: attempt.workspaceId,
              attempt_id: attempt.id,
              outcome: status.toLowerCase(),
              reason,
              pack_id: row.packId,
              credits: row.credits,
              amount_cents: row.amountCents,
              payment_intent: row.paymentIntentId,
              balance: row.balanceAfter,
              threshold: row.thresholdCredits,
              auto_top_up_enabled: false,
              created_at: row.createdAt.toISOString(),
            },
          },
        ],
        skipDuplicates: true, // unique (eventId, type)
      });
    }
    return true;
  });
  // The owners' mail, after the commit (once per attempt: its occurrence key; never throws).
  if (settled) await notifyAutoTopUpFailed(attempt.id);
}

async function disableInTx(tx: Tx, workspaceId: string, reason: string, at: Date): Promise<void> {
  await tx.autoTopUp.update({
    where: { workspaceId },
    data: { enabled: false, disabledAt: at, disabledReason: reason, noticeDismissedAt: null },
  });
  await tx.workspace.update({ where: { id: workspaceId }, data: { autoTopUpThreshold: null } });
}

// ───────────────────────────── webhooks ─────────────────────────────

const topUpMetadataSchema = packMetadataSchema.extend({ kind: z.literal(AUTO_TOP_UP_PURPOSE), auto_top_up_attempt: z.string().min(1) });

/**
 * payment_intent.succeeded for an auto top-up: grants the pack (PURCHASED, once per payment intent by
 * its unique source) and settles the attempt if the job had not (it crashed after Stripe answered).
 * Other payment intents (Checkout's) are not ours here: checkout.session.completed grants those.
 */
export async function settleTopUpPayment(paymentIntentId: string): Promise<"not_a_top_up" | "not_paid" | "granted"> {
  const intent = await stripe().paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge"] });
  const meta = topUpMetadataSchema.safeParse(intent.metadata ?? {});
  if (!meta.success) return "not_a_top_up";
  if (intent.status !== "succeeded") return "not_paid";
  const { workspace_id: workspaceId, pack_id: packId, credits, validity_days: validityDays, auto_top_up_attempt: attemptId } = meta.data;
  const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  const paidAt = charge ? new Date(charge.created * 1000) : now();
  await db.$transaction(async (tx) => {
    await addCredits(
      {
        workspaceId,
        type: "PURCHASED",
        credits,
        expiresAt: validityDays ? new Date(paidAt.getTime() + validityDays * 86_400_000) : null,
        source: topUpSource(intent.id),
        reason: `Auto top-up: credit pack ${packId} for ${formatCents(intent.amount)} (payment ${intent.id})`,
        reference: intent.id,
      },
      tx,
    );
    await tx.autoTopUpAttempt.updateMany({
      where: { id: attemptId, workspaceId, status: { in: ["PENDING", "CHARGING"] } },
      data: { status: "SUCCEEDED", paymentIntentId: intent.id, reason: null, settledAt: now() },
    });
  });
  return "granted";
}

/** payment_intent.payment_failed for an auto top-up: the same switch-off as a decline seen by the job. */
export async function failTopUpPayment(intent: Stripe.PaymentIntent): Promise<void> {
  const meta = topUpMetadataSchema.safeParse(intent.metadata ?? {});
  if (!meta.success) return;
  const fresh = await stripe().paymentIntents.retrieve(intent.id);
  if (fresh.status === "succeeded") return; // a later attempt on the same intent went through
  const error = fresh.last_payment_error ?? intent.last_payment_error;
  const reason = error ? declineReason(error) : "The payment failed.";
  await switchOff({ id: meta.data.auto_top_up_attempt, workspaceId: meta.data.workspace_id }, "DECLINED", reason, now(), fresh.id);
}

/** charge.refunded on an auto top-up: claw back the refunded share of its pack (converges, like Checkout packs). */
export async function syncTopUpRefund(charge: Stripe.Charge): Promise<void> {
  const intentId = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  if (!intentId) return;
  const intent = await stripe().paymentIntents.retrieve(intentId, { expand: ["latest_charge"] });
  const meta = topUpMetadataSchema.safeParse(intent.metadata ?? {});
  const latest = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  if (!meta.success || !latest) return;
  const refunded = refundedCredits(latest, meta.data.credits);
  if (refunded === 0) return;
  await clawBack({
    workspaceId: meta.data.workspace_id,
    source: topUpSource(intent.id),
    credits: refunded,
    reason: `Stripe refund of ${latest.id}: ${formatCents(latest.amount_refunded)} of ${formatCents(latest.amount)}`,
    reference: latest.id,
  });
}
