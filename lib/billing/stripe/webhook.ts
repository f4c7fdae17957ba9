import "server-only";
import Stripe from "stripe";
import { z } from "zod";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError, errorResponse, fieldErrors } from "@/lib/errors";
import { stripe, webhookSecret } from "@/lib/billing/stripe/client";
import { STRIPE_EVENT_HANDLERS } from "@/lib/billing/stripe/handlers";

const MAX_BODY_BYTES = 1_000_000;
/** How far a signature's timestamp may be from our clock, either way (Stripe's default tolerance). */
export const SIGNATURE_TOLERANCE_S = 300;

/**
 * What every event must look like before anything is recorded: a signed body that is not an event
 * (not JSON, wrong types) is bad input, a 400, not a 500 from the database or a handler. Handlers read
 * the rest from the object, which they converge to Stripe's state.
 */
const eventEnvelope = z.looseObject({
  id: z.string().regex(/^evt_[A-Za-z0-9_]{1,250}$/, "an event id (evt_…)"),
  object: z.literal("event"),
  type: z.string().regex(/^[a-z0-9_.]{1,100}$/, "an event type"),
  created: z.number().int().nonnegative(),
  data: z.looseObject({ object: z.looseObject({ id: z.string().min(1).max(255).optional(), object: z.string().min(1).max(100) }) }),
});

/**
 * POST /api/stripe/webhook. Verifies the signature on the raw body with the official SDK (bad or
 * missing → 400, nothing recorded), records the event id, and runs its handler once. Handlers
 * converge to Stripe's current state, so order and redelivery do not matter. A failing handler answers
 * 500 so that Stripe retries; the error is kept on the event row for operators.
 */
export async function handleStripeWebhook(req: Request): Promise<Response> {
  try {
    const event = await verifiedEvent(req);
    const result = await processStripeEvent(event);
    return Response.json(result.duplicate ? { received: true, duplicate: true } : { received: true, handled: result.handled });
  } catch (err) {
    return errorResponse(err);
  }
}

export type ProcessedEvent = { duplicate: boolean; handled: boolean };

/**
 * The one processing path for a Stripe event, from the webhook or from reconciliation
 * (lib/billing/stripe/reconcile.ts): the StripeEvent row (primary key = the event id) records it, and a
 * processed row is never handled again. Throws AppError service_unavailable when the handler fails
 * (the error is kept on the row; the webhook answers 503 so Stripe retries).
 */
export async function processStripeEvent(event: Stripe.Event): Promise<ProcessedEvent> {
  await db.stripeEvent.createMany({
    data: [{ id: event.id, type: event.type, payload: event as object, receivedAt: now() }],
    skipDuplicates: true,
  });
  const seen = await db.stripeEvent.findUniqueOrThrow({ where: { id: event.id }, select: { processedAt: true } });
  if (seen.processedAt) return { duplicate: true, handled: false };

  const handler = STRIPE_EVENT_HANDLERS[event.type];
  try {
    if (handler) await handler(event);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db.stripeEvent.update({ where: { id: event.id }, data: { error: message.slice(0, 2000) } });
    console.error(`stripe event ${event.type} ${event.id} failed:`, err);
    throw new AppError("service_unavailable", "The event could not be processed yet; Stripe will deliver it again.");
  }
  await db.stripeEvent.update({ where: { id: event.id }, data: { processedAt: now(), error: null } });
  return { duplicate: false, handled: Boolean(handler) };
}

async function verifiedEvent(req: Request): Promise<Stripe.Event> {
  const signature = req.headers.get("stripe-signature");
  if (!signature) throw new AppError("invalid_request", "Missing Stripe-Signature header.");
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new AppError("payload_too_large", "Webhook body too large.");
  const body = await req.text();
  if (body.length > MAX_BODY_BYTES) throw new AppError("payload_too_large", "Webhook body too large.");
  // The SDK refuses signatures older than the tolerance, not ones dated ahead: a signature from the
  // future would stay replayable until our clock caught up with it.
  const signedAt = Number(/(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(signature)?.[1] ?? NaN);
  if (Number.isFinite(signedAt) && signedAt > Date.now() / 1000 + SIGNATURE_TOLERANCE_S) {
    throw new AppError("invalid_request", "The Stripe-Signature timestamp is in the future.", {
      nextStep: "Check the clock of the sender.",
    });
  }
  let event: unknown;
  try {
    event = stripe().webhooks.constructEvent(body, signature, webhookSecret(), SIGNATURE_TOLERANCE_S);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new AppError("invalid_request", "The Stripe-Signature header does not match the body.", {
        nextStep: "Check that STRIPE_WEBHOOK_SECRET is the signing secret of this endpoint.",
      });
    }
    // Signed, but not JSON.
    if (err instanceof SyntaxError) throw new AppError("invalid_request", "The webhook body is not JSON.");
    throw err;
  }
  const parsed = eventEnvelope.safeParse(event);
  if (!parsed.success)
    throw new AppError("invalid_request", "The webhook body is not a Stripe event.", {
      details: { fields: fieldErrors(parsed.error.issues) },
    });
  return event as Stripe.Event;
}
