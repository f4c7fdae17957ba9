import "server-only";
import Stripe from "stripe";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { formatCredits } from "@/lib/format";
import type { AutoTopUpStatus } from "@/lib/generated/prisma/client";
import { stripe } from "@/lib/billing/stripe/client";
import { AUTO_TOP_UP_PURPOSE, declineReason, monthStart } from "@/lib/billing/stripe/auto-top-up/common";
import { switchOff } from "@/lib/billing/stripe/auto-top-up/settle";

/** The charge job: claims the recorded attempts, decides whether to charge, and creates the off-session PaymentIntent. */

/** A claimed attempt whose worker vanished is claimed again after this (same idempotency key). */
export const CLAIM_LEASE_MS = 5 * 60_000;
/** An attempt older than this is not charged (within Stripe's 24 h idempotency window, with margin). */
export const STALE_AFTER_MS = 23 * 3_600_000;
/** Stripe unreachable this many times in a row: the attempt fails and auto top-up is switched off. */
const MAX_TRIES = 3;

export const idempotencyKeyOf = (attemptId: string) => `creditbook-auto-top-up-${attemptId}`;

type ClaimedAttempt = { id: string; workspaceId: string; tries: number; createdAt: Date };

export type TopUpRun = { charged: number; declined: number; skipped: number; failed: number; retrying: number };

/**
 * Charges the PENDING attempts (and CHARGING ones whose worker vanished). Safe from several workers at
 * once: rows are claimed with FOR UPDATE SKIP LOCKED, and the partial unique index keeps one attempt
 * in flight per workspace, so cooldown and cap checks see every earlier charge of the workspace.
 */
export async function processAutoTopUps(
  options: { limit?: number; /** tests: only these workspaces */ workspaceIds?: string[] } = {},
): Promise<TopUpRun> {
  const at = now();
  const run: TopUpRun = { charged: 0, declined: 0, skipped: 0, failed: 0, retrying: 0 };
  const claimed = await db.$queryRaw<ClaimedAttempt[]>`
    UPDATE "AutoTopUpAttempt" a SET status = 'CHARGING', "claimedAt" = ${at}, tries = a.tries + 1
      FROM (SELECT id FROM "AutoTopUpAttempt"
             WHERE (status = 'PENDING' OR (status = 'CHARGING' AND "claimedAt" < ${new Date(at.getTime() - CLAIM_LEASE_MS)}))
               AND (${options.workspaceIds ?? null}::text[] IS NULL OR "workspaceId" = ANY(${options.workspaceIds ?? null}::text[]))
             ORDER BY "createdAt" LIMIT ${options.limit ?? 50} FOR UPDATE SKIP LOCKED) due
     WHERE a.id = due.id
 RETURNING a.id, a."workspaceId", a.tries, a."createdAt"`;
  for (const attempt of claimed) {
    const outcome = await chargeAttempt(attempt, at);
    run[outcome]++;
  }
  return run;
}

async function settle(
  id: string,
  status: AutoTopUpStatus,
  reason: string | null,
  at: Date,
  extra: { paymentIntentId?: string | null } = {},
): Promise<void> {
  await db.autoTopUpAttempt.update({ where: { id }, data: { status, reason, settledAt: at, ...extra } });
}

async function chargeAttempt(attempt: ClaimedAttempt, at: Date): Promise<keyof TopUpRun> {
  // Stripe keeps an idempotency key for 24 hours: past that, a retry of this attempt could charge twice.
  // An attempt still unsettled after STALE_AFTER_MS (workers down for most of a day) is not charged: the
  // balance it reacted to is a day old, and the next debit below the threshold records a fresh one.
  if (at.getTime() - attempt.createdAt.getTime() > STALE_AFTER_MS) {
    await settle(
      attempt.id,
      "SKIPPED",
      "Not charged: the attempt waited more than 23 hours (no worker ran); the next drop below the threshold tries again.",
      at,
    );
    return "skipped";
  }
  const settings = await db.autoTopUp.findUnique({ where: { workspaceId: attempt.workspaceId } });
  if (!settings?.enabled) {
    await settle(attempt.id, "SKIPPED", "Auto top-up was switched off before the charge.", at);
    return "skipped";
  }
  if (!settings.paymentMethodId) {
    await settle(attempt.id, "SKIPPED", "No saved card.", at);
    return "skipped";
  }
  // Cooldown: since the last attempt that went to Stripe. One attempt is in flight per workspace, so
  // no other charge can start between this read and ours.
  const last = await db.autoTopUpAttempt.findFirst({
    where: {
      workspaceId: attempt.workspaceId,
      id: { not: attempt.id },
      status: { in: ["SUCCEEDED", "DECLINED", "CHARGING"] },
      claimedAt: { not: null },
    },
    orderBy: { claimedAt: "desc" },
    select: { claimedAt: true },
  });
  const nextAllowed = last?.claimedAt ? new Date(last.claimedAt.getTime() + settings.cooldownMinutes * 60_000) : null;
  if (nextAllowed && nextAllowed > at) {
    await settle(
      attempt.id,
      "SKIPPED",
      `Cooldown: the last top-up was less than ${settings.cooldownMinutes} minutes ago (next possible at ${nextAllowed.toISOString()}).`,
      at,
    );
    return "skipped";
  }
  const purchases = await db.autoTopUpAttempt.count({
    where: { workspaceId: attempt.workspaceId, status: "SUCCEEDED", claimedAt: { gte: monthStart(at) } },
  });
  if (purchases >= settings.monthlyCap) {
    await settle(attempt.id, "SKIPPED", `Monthly cap reached: ${purchases} of ${settings.monthlyCap} top-ups this month.`, at);
    return "skipped";
  }
  const pack = await db.creditPack.findUnique({ where: { id: settings.packId } });
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: attempt.workspaceId }, select: { stripeCustomerId: true } });
  if (!pack?.active || !workspace.stripeCustomerId) {
    const reason = !workspace.stripeCustomerId
      ? "The workspace has no Stripe customer."
      : `The pack ${settings.packId} is no longer on sale.`;
    await switchOff(attempt, "FAILED", reason, at, null);
    return "failed";
  }
  await db.autoTopUpAttempt.update({
    where: { id: attempt.id },
    data: { packId: pack.id, credits: pack.credits, amountCents: pack.priceCents },
  });

  const metadata = {
    workspace_id: attempt.workspaceId,
    pack_id: pack.id,
    credits: String(pack.credits),
    validity_days: pack.validityDays ? String(pack.validityDays) : "",
    kind: AUTO_TOP_UP_PURPOSE,
    auto_top_up_attempt: attempt.id,
  };
  try {
    const intent = await stripe().paymentIntents.create(
      {
        amount: pack.priceCents,
        currency: "usd",
        customer: workspace.stripeCustomerId,
        payment_method: settings.paymentMethodId,
        off_session: true,
        confirm: true,
        metadata,
        description: `Auto top-up: ${pack.name} (${formatCredits(pack.credits)} credits)`,
      },
      // The attempt id: a retry (a crash after Stripe answered, a reclaimed lease) replays the first answer.
      { idempotencyKey: idempotencyKeyOf(attempt.id) },
    );
    if (intent.status === "succeeded") {
      await settle(attempt.id, "SUCCEEDED", null, at, { paymentIntentId: intent.id });
      return "charged";
    }
    // Processing: stays CHARGING with its payment intent; payment_intent.succeeded / payment_failed settle it.
    await db.autoTopUpAttempt.update({
      where: { id: attempt.id },
      data: { paymentIntentId: intent.id, reason: `Stripe: ${intent.status}` },
    });
    return "charged";
  } catch (err) {
    if (err instanceof Stripe.errors.StripeCardError) {
      await switchOff(attempt, "DECLINED", declineReason(err), at, err.payment_intent?.id ?? null);
      return "declined";
    }
    const message = err instanceof Error ? err.message : String(err);
    if (attempt.tries >= MAX_TRIES) {
      await switchOff(attempt, "FAILED", `Stripe could not be reached after ${attempt.tries} tries: ${message}`.slice(0, 500), at, null);
      return "failed";
    }
    // Back in the queue for the next run; the same idempotency key makes the retry safe.
    await db.autoTopUpAttempt.update({
      where: { id: attempt.id },
      data: { status: "PENDING", reason: `Retrying: ${message}`.slice(0, 500) },
    });
    return "retrying";
  }
}
