import type { ChargeInput, ChargeResult } from "@/lib/credits";
import { recordPaidUsage } from "@/lib/credits";
import { appUrl, x402Config } from "@/lib/env";
import { chargeResponse, statusName, type ApiResult, type PaymentAlternative } from "@/lib/metering/responses";
import { creditsToUsd } from "@/lib/pricing/catalog";
import type { TrackCharged, TrackHeldReplay, TrackPaid, TrackQueued } from "@/lib/metering/response-schemas";
import { PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER, paymentResponseHeader, quote, type Quote } from "@/lib/x402/protocol";
import { payOnce } from "@/lib/x402/payments";

type Denied = Extract<ChargeResult, { outcome: "denied" }>;

function trackQuote(input: ChargeInput, credits: number): Promise<Quote> {
  return quote(
    { cents: credits, credits },
    { url: appUrl("/api/v1/track"), description: `${input.actionKey} × ${input.quantity ?? 1} (${credits} credits)` },
  );
}

/** The x402 alternative a denial offers: its requirements (also in PAYMENT-REQUIRED) and a sentence. */
function alternativeOf(q: Quote, credits: number): PaymentAlternative {
  const accept = q.requirements[0]!;
  return {
    details: {
      x402: {
        price_usdc: creditsToUsd(credits),
        amount: accept.amount,
        network: accept.network,
        asset: accept.asset,
        pay_to: accept.payTo,
        header: PAYMENT_SIGNATURE_HEADER,
        payment_required: q.paymentRequired,
      },
    },
    headers: { [PAYMENT_REQUIRED_HEADER]: q.header },
    sentence: `or pay this one call in USDC with x402 (${creditsToUsd(credits)} USDC: retry with the agent's ${PAYMENT_SIGNATURE_HEADER} for the PAYMENT-REQUIRED requirements)`,
  };
}

/**
 * POST /api/v1/track when the workspace is out of credits for the action (the ledger denied it). With x402
 * on and a PAYMENT-SIGNATURE header forwarded from the agent, that one action is settled in USDC and
 * recorded as paid by x402 (drawn from no grant) → 201 with PAYMENT-RESPONSE. Without the header, the
 * usual insufficient_credits / credits_exhausted answer, which then also offers x402 (body and
 * PAYMENT-REQUIRED). If the facilitator cannot be reached, the denial is answered without the offer.
 */
export async function trackDenied(
  req: Request,
  input: ChargeInput,
  denied: Denied,
): Promise<ApiResult<TrackPaid | TrackCharged | TrackQueued | TrackHeldReplay>> {
  if (!x402Config().enabled || denied.credits <= 0) return chargeResponse(denied, input.workspaceId, "track");
  const header = req.headers.get(PAYMENT_SIGNATURE_HEADER);
  let q: Quote;
  try {
    q = await trackQuote(input, denied.credits);
  } catch (err) {
    if (header) throw err; // they tried to pay: say the facilitator is unavailable (503)
    return chargeResponse(denied, input.workspaceId, "track");
  }
  if (!header) return chargeResponse(denied, input.workspaceId, "track", alternativeOf(q, denied.credits));

  const paid = await payOnce(
    header,
    q,
    { purpose: "USAGE", credits: denied.credits, workspaceId: input.workspaceId, actionKey: input.actionKey },
    async (tx, p) => {
      const { eventId } = await recordPaidUsage(tx, {
        workspaceId: input.workspaceId,
        actionKey: input.actionKey,
        quantity: input.quantity ?? 1,
        credits: denied.credits,
        idempotencyKey: input.idempotencyKey,
        subject: input.subject,
        metadata: input.metadata,
        actor: input.actor,
        at: p.at,
        reason: `paid with x402 by ${p.payer}`,
        reference: p.settlement.transaction,
      });
      return { workspaceId: input.workspaceId, usageEventId: eventId, eventId };
    },
  );
  const body: TrackPaid = {
    event_id: paid.result.eventId,
    status: statusName("COMPLETED"),
    credits_charged: 0,
    paid_by: "x402",
    payment: {
      transaction: paid.settlement.transaction,
      network: paid.settlement.network,
      payer: paid.payer,
      amount: q.requirements[0]!.amount,
      credits: denied.credits,
    },
    remaining: denied.remaining,
    reset_at: denied.resetAt.toISOString(),
    replayed: false,
  };
  return { status: 201, body, headers: paymentResponseHeader(paid.settlement) };
}
