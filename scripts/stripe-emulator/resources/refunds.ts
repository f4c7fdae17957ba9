// refund: https://docs.stripe.com/api/refunds/object — create (payment_intent or charge, optional partial
// amount; not once the charge is charged back), retrieve, list. A refund updates its charge
// (amount_refunded, refunded, refunds) and emits charge.refunded and refund.created.
import { invalidParam, invalidRequest } from "../errors.ts";
import { retrieve, route, type Ctx, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";
import { createdFilter, LIST_PARAMS, listOf, paginate } from "../list.ts";
import type { Metadata } from "../params.ts";
import type { Charge } from "./charges.ts";
import { applyChanges, formatAmount } from "./common.ts";
import { disputeOf } from "./disputes.ts";

type Reason = "duplicate" | "fraudulent" | "requested_by_customer";

/** The charge fields a refund copies (a structural type: Charge's own type refers to Refund). */
type RefundedCharge = { id: string; currency: string; customer: string | null; payment_intent: string; payment_method: string };

export function buildRefund(now: number, charge: RefundedCharge, f: { amount: number; reason: Reason | null; metadata: Metadata }) {
  return {
    id: newId("refund"),
    object: "refund" as const,
    amount: f.amount,
    balance_transaction: null,
    charge: charge.id as string | null,
    created: now,
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    metadata: f.metadata as Metadata | null,
    payment_intent: charge.payment_intent as string | null,
    payment_method: charge.payment_method as string | null,
    reason: f.reason as Reason | "expired_uncaptured_charge" | null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded" as string | null,
    transfer_reversal: null,
  };
}
export type Refund = ReturnType<typeof buildRefund>;

/** The charge a refund request targets: `charge`, or the payment intent's successful charge. */
function chargeToRefund({ emu, account, params }: Ctx): Charge {
  const chargeId = params.str("charge");
  const intentId = params.str("payment_intent");
  if (chargeId === undefined && intentId === undefined)
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", {
      code: "parameter_missing",
    });
  if (chargeId !== undefined) {
    const charge = emu.store.find(account, "charge", chargeId, "charge");
    if (intentId !== undefined && charge.payment_intent !== intentId)
      throw invalidParam("payment_intent", `The charge ${chargeId} does not belong to the PaymentIntent ${intentId}.`);
    return charge;
  }
  const intent = emu.store.find(account, "payment_intent", intentId!, "payment_intent");
  const charge = intent.latest_charge ? emu.store.get(account, "charge", intent.latest_charge) : undefined;
  if (intent.status !== "succeeded" || !charge)
    throw invalidParam(
      "payment_intent",
      `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
      "charge_not_refundable",
    );
  return charge;
}

function createRefund(ctx: Ctx): Refund {
  const { emu, account, params, request } = ctx;
  params.allowOnly(["charge", "payment_intent", "amount", "reason", "metadata", "instructions_email", "expand"]);
  const charge = chargeToRefund(ctx);
  if (charge.status !== "succeeded")
    throw invalidParam("charge", `Charge ${charge.id} has a status of ${charge.status} and cannot be refunded.`, "charge_not_refundable");
  if (disputeOf(emu, account, charge)?.is_charge_refundable === false)
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: "charge_disputed", param: "charge" });
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0)
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded", param: "charge" });
  const amount = params.int("amount", { min: 1 }) ?? remaining;
  if (amount > remaining)
    throw invalidParam(
      "amount",
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      "amount_too_large",
    );
  const reason = params.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
  const refund = emu.store.insert(account, buildRefund(account.clock.now(), charge, { amount, reason, metadata: params.newMetadata() }));

  const refunds = emu.store.newestFirst(account, "refund").filter((r) => r.charge === charge.id);
  const previous = applyChanges(charge, {
    amount_refunded: charge.amount_refunded + amount,
    refunded: charge.amount_refunded + amount === charge.amount,
  });
  charge.refunds = listOf(refunds.slice(0, 10), `/v1/charges/${charge.id}/refunds`, refunds.length > 10);
  emu.emit(account, "charge.refunded", charge, { previous, request });
  emu.emit(account, "refund.created", refund, { request });
  return refund;
}

export const refundRoutes: Route[] = [
  route("POST", "/v1/refunds", createRefund),
  route("GET", "/v1/refunds/:id", retrieve("refund")),
  route("GET", "/v1/refunds", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "charge", "payment_intent"]);
    const charge = params.str("charge");
    const paymentIntent = params.str("payment_intent");
    const created = createdFilter(params);
    const refunds = emu.store
      .newestFirst(account, "refund")
      .filter(
        (r) =>
          (charge === undefined || r.charge === charge) &&
          (paymentIntent === undefined || r.payment_intent === paymentIntent) &&
          created(r),
      );
    return paginate(refunds, params, "/v1/refunds");
  }),
];
