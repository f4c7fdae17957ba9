import "server-only";
import Stripe from "stripe";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { addCredits, clawBack } from "@/lib/credits";
import { formatCents, formatCredits } from "@/lib/format";
import { stripe } from "@/lib/billing/stripe/client";
import { ensureCustomer } from "@/lib/billing/stripe/customers";
import { packMetadataSchema } from "@/lib/billing/stripe/checkout";
import { refundedCredits } from "@/lib/billing/stripe/purchases";
import { notifyAutoTopUpFailed } from "@/lib/billing/notifications";
import type { AutoTopUpStatus } from "@/lib/generated/prisma/client";

/**
 * Auto top-up (docs/decisions/008-auto-top-up.md): "when remaining drops below N credits, buy pack P",
 * with at most M purchases per calendar month (UTC) and a cooldown between charges.
 *
 * 1. An owner saves a card through setup-mode Checkout (createCardSetupSession → syncCardSetup, from the
 *    checkout.session.completed webhook or the return to the portal, whichever comes first).
 * 2. The debit that takes the balance below N records a PENDING AutoTopUpAttempt in its own transaction
 *    (credits_charge, SQL). The ledger never calls Stripe.
 * 3. The jobs worker (processAutoTopUps) claims the attempt, checks cooldown and cap, and charges the card
 *    off-session with the attempt id as the idempotency key: a retry after a crash replays Stripe's answer.
 * 4. payment_intent.succeeded grants the pack (PURCHASED, source payment_intent:pi_…, once) — the same
 *    webhook path as any pack; reconciliation recovers the event if the webhook is lost.
 * 5. A decline switches auto top-up off, shows a banner and an owners' notice, calls the workspace's
 *    alert webhook and mails the owners (lib/billing/notifications.ts). Every attempt, charged or not, stays in the history with its outcome.
 */

export const AUTO_TOP_UP_PURPOSE = "auto_top_up";
export const DEFAULT_COOLDOWN_MINUTES = 10;
/** A claimed attempt whose worker vanished is claimed again after this (same idempotency key). */
export const CLAIM_LEASE_MS = 5 * 60_000;
/** An attempt older than this is not charged (within Stripe's 24 h idempotency window, with margin). */
export const STALE_AFTER_MS = 23 * 3_600_000;
/** Stripe unreachable this many times in a row: the attempt fails and auto top-up is switched off. */
const MAX_TRIES = 3;
export const AUTO_TOP_UP_FAILED_EVENT = "auto_top_up.failed";

/** The grant source of a pack bought by an auto top-up payment intent: one grant per payment, ever. */
export const topUpSource = (paymentIntentId: string) => `payment_intent:${paymentIntentId}`;
export const idempotencyKeyOf = (attemptId: string) => `creditbook-auto-top-up-${attemptId}`;

export const autoTopUpSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  threshold_credits: z
    .number()
    .int("Whole credits only.")
    .min(1, "At least 1 credit.")
    .max(1_000_000_000, "At most 1,000,000,000 credits."),
  pack_id: z.string().min(1, "Pick a pack.").max(64),
  monthly_cap: z.number().int("A whole number.").min(1, "At least 1 purchase a month.").max(100, "At most 100 purchases a month."),
  cooldown_minutes: z.number().int("Whole minutes only.").min(0, "Not negative.").max(10_080, "At most a week (10,080 minutes)."),
});
export type AutoTopUpSettingsInput = z.infer<typeof autoTopUpSettingsSchema>;

export type AutoTopUpAttemptView = {
  id: string;
  status: AutoTopUpStatus;
  createdAt: string;
  settledAt: string | null;
  packId: string | null;
  credits: number | null;
  amountCents: number | null;
  balanceBefore: number;
  balanceAfter: number;
  thresholdCredits: number;
  reason: string | null;
  /** SUCCEEDED only: has the webhook granted the credits yet? */
  granted: boolean;
};

export type AutoTopUpView = {
  enabled: boolean;
  thresholdCredits: number;
  packId: string;
  monthlyCap: number;
  cooldownMinutes: number;
  card: { brand: string; last4: string } | null;
  disabledAt: string | null;
  disabledReason: string | null;
  /** The owners' notice about the switch-off is still up. */
  noticeOpen: boolean;
  purchasesThisMonth: number;
  attempts: AutoTopUpAttemptView[];
};

const monthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

/** The auto top-up card of the billing page: settings, saved card, and the latest attempts. */
export async function getAutoTopUp(workspaceId: string, limit = 20): Promise<AutoTopUpView> {
  const at = now();
  const [settings, attempts, purchasesThisMonth] = await Promise.all([
    db.autoTopUp.findUnique({ where: { workspaceId } }),
    db.autoTopUpAttempt.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit }),
    db.autoTopUpAttempt.count({ where: { workspaceId, status: "SUCCEEDED", claimedAt: { gte: monthStart(at) } } }),
  ]);
  const paid = attempts.filter((a) => a.paymentIntentId && a.status === "SUCCEEDED").map((a) => topUpSource(a.paymentIntentId!));
  const granted = new Set(
    paid.length
      ? (await db.creditGrant.findMany({ where: { workspaceId, source: { in: paid } }, select: { source: true } })).map((g) => g.source)
      : [],
  );
  return {
    enabled: settings?.enabled ?? false,
    thresholdCredits: settings?.thresholdCredits ?? 100,
    packId: settings?.packId ?? "starter_1000",
    monthlyCap: settings?.monthlyCap ?? 3,
    cooldownMinutes: settings?.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
    card: settings?.paymentMethodId ? { brand: settings.cardBrand ?? "card", last4: settings.cardLast4 ?? "••••" } : null,
    disabledAt: settings?.disabledAt?.toISOString() ?? null,
    disabledReason: settings?.disabledReason ?? null,
    noticeOpen: Boolean(settings?.disabledAt && !settings.noticeDismissedAt && !settings.enabled),
    purchasesThisMonth,
    attempts: attempts.map((a) => ({
      id: a.id,
      status: a.status,
      createdAt: a.createdAt.toISOString(),
      settledAt: a.settledAt?.toISOString() ?? null,
      packId: a.packId,
      credits: a.credits,
      amountCents: a.amountCents,
      balanceBefore: a.balanceBefore,
      balanceAfter: a.balanceAfter,
      thresholdCredits: a.thresholdCredits,
      reason: a.reason,
      granted: a.paymentIntentId ? granted.has(topUpSource(a.paymentIntentId)) : false,
    })),
  };
}

/**
 * Saves the settings (owners only; the caller checks the role). Turning it on needs a saved card and a
 * pack on sale. The hot-path switch (Workspace.autoTopUpThreshold) is written in the same transaction.
 */
export async function updateAutoTopUp(workspaceId: string, userId: string, raw: unknown): Promise<AutoTopUpView> {
  const parsed = autoTopUpSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.map(String).join(".") || "_"] ??= issue.message;
    throw new AppError("invalid_request", "Check the auto top-up settings.", { details: { fields } });
  }
  const input = parsed.data;
  const pack = await db.creditPack.findUnique({ where: { id: input.pack_id } });
  if (!pack || !pack.active) {
    throw new AppError("invalid_pack", `There is no credit pack "${input.pack_id}" on sale.`, {
      details: { fields: { pack_id: "Pick one of the packs on sale." } },
    });
  }
  await db.$transaction(async (tx) => {
    const current = await tx.autoTopUp.findUnique({ where: { workspaceId }, select: { paymentMethodId: true } });
    if (input.enabled && !current?.paymentMethodId) {
      throw new AppError("conflict", "Save a card before turning auto top-up on.", {
        nextStep: "Use “Save a card” first; auto top-up charges that card.",
        details: { fields: { enabled: "Save a card first." } },
      });
    }
    const data = {
      enabled: input.enabled,
      thresholdCredits: input.threshold_credits,
      packId: input.pack_id,
      monthlyCap: input.monthly_cap,
      cooldownMinutes: input.cooldown_minutes,
      updatedById: userId,
      // Turning it back on clears the decline banner and the owners' notice.
      ...(input.enabled ? { disabledAt: null, disabledReason: null, noticeDismissedAt: null } : {}),
    };
    await tx.autoTopUp.upsert({ where: { workspaceId }, create: { workspaceId, ...data }, update: data });
    await tx.workspace.update({ where: { id: workspaceId }, data: { autoTopUpThreshold: input.enabled ? input.threshold_credits : null } });
  });
  return getAutoTopUp(workspaceId);
}

/** Hides the owners' notice about a switch-off (the billing page's banner stays while it is off). */
export async function dismissAutoTopUpNotice(workspaceId: string): Promise<void> {
  await db.autoTopUp.updateMany({ where: { workspaceId, noticeDismissedAt: null }, data: { noticeDismissedAt: now() } });
}

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

// ───────────────────────────── the charge job ─────────────────────────────

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
      const reason = `${err.message}${err.decline_code ? ` (${err.decline_code})` : err.code ? ` (${err.code})` : ""}`;
      await switchOff(attempt, "DECLINED", reason, at, err.payment_intent?.id ?? null);
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

/**
 * A charge that will not go through: the attempt keeps its outcome, auto top-up is switched off (the
 * hot-path switch too), the banner and owners' notice go up, and the workspace's alert webhook hears
 * about it — an outbox row in the same transaction, delivered with retries (lib/jobs/webhooks.ts).
 */
async function switchOff(
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
  const reason = error
    ? `${error.message ?? "The payment failed."}${error.decline_code ? ` (${error.decline_code})` : error.code ? ` (${error.code})` : ""}`
    : "The payment failed.";
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

/** The owners' notice after a switch-off, for the app shell: null when there is nothing to say. */
export async function autoTopUpNotice(workspaceId: string): Promise<{ reason: string; at: string } | null> {
  const row = await db.autoTopUp.findFirst({
    where: { workspaceId, enabled: false, disabledAt: { not: null }, noticeDismissedAt: null },
    select: { disabledAt: true, disabledReason: true },
  });
  return row?.disabledAt ? { reason: row.disabledReason ?? "The last charge failed.", at: row.disabledAt.toISOString() } : null;
}
