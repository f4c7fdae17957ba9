import "server-only";
import { db } from "@/lib/db";

export type Revenue = { packsCents: number; plansCents: number; refundsCents: number };

/**
 * Money taken since `from`, read from the Stripe events we processed (Stripe stays the book of record;
 * this is the operator's at-a-glance figure):
 * - packs: paid one-time Checkout Sessions (completed and paid, or paid later by bank transfer) and
 *   off-session pack payments (auto top-up PaymentIntents);
 * - plans: paid invoices;
 * - refunds: each refunded charge's refunded amount, once per charge (Stripe repeats the running total on
 *   every charge.refunded event).
 */
export async function revenueSince(from: Date): Promise<Revenue> {
  const [row] = await db.$queryRaw<{ packs: bigint | null; plans: bigint | null; refunds: bigint | null }[]>`
    WITH e AS (
      SELECT type, payload->'data'->'object' AS o FROM "StripeEvent" WHERE "receivedAt" >= ${from} AND "processedAt" IS NOT NULL
    )
    SELECT
      coalesce((SELECT sum((o->>'amount_total')::bigint) FROM e
        WHERE type IN ('checkout.session.completed', 'checkout.session.async_payment_succeeded')
          AND o->>'mode' = 'payment' AND o->>'payment_status' = 'paid'), 0)
      + coalesce((SELECT sum((o->>'amount_received')::bigint) FROM e
        WHERE type = 'payment_intent.succeeded' AND o->'metadata'->>'pack_id' IS NOT NULL AND o->>'invoice' IS NULL), 0) AS packs,
      (SELECT sum((o->>'amount_paid')::bigint) FROM e WHERE type = 'invoice.paid') AS plans,
      (SELECT sum(refunded) FROM (SELECT max((o->>'amount_refunded')::bigint) AS refunded FROM e WHERE type = 'charge.refunded' GROUP BY o->>'id') r) AS refunds`;
  return { packsCents: Number(row?.packs ?? 0), plansCents: Number(row?.plans ?? 0), refundsCents: Number(row?.refunds ?? 0) };
}
