// dispute: https://docs.stripe.com/api/disputes/object — retrieve, list (charge, payment_intent), and close
// (the merchant accepts the dispute: lost). The card network's side — a cardholder disputing a charge and
// the dispute being decided — is played through the emulator's controls (control.ts). A dispute marks
// its charge `disputed`, withdraws the amount and Stripe's dispute fee (charge.dispute.created,
// charge.dispute.funds_withdrawn) and gives them back if it is won (charge.dispute.closed,
// charge.dispute.funds_reinstated). Its balance transactions are embedded as Stripe embeds them; the
// emulator keeps no balance of its own.
import { retrieve, route, type Route } from "../emulator.ts";
import { invalidParam, invalidRequest } from "../errors.ts";
import { newId } from "../ids.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import type { Metadata } from "../params.ts";
import type { Account } from "../store.ts";
import type { Emulator } from "../emulator.ts";
import type { Charge } from "./charges.ts";
import { applyChanges } from "./common.ts";
import type { EventRequest } from "./events.ts";

export const DISPUTE_REASONS = [
  "bank_cannot_process",
  "check_returned",
  "credit_not_processed",
  "customer_initiated",
  "debit_not_authorized",
  "duplicate",
  "fraudulent",
  "general",
  "incorrect_account_details",
  "insufficient_funds",
  "noncompliant",
  "product_not_received",
  "product_unacceptable",
  "subscription_canceled",
  "unrecognized",
] as const;
type Reason = (typeof DISPUTE_REASONS)[number];
type DisputeStatus =
  "lost" | "needs_response" | "under_review" | "warning_closed" | "warning_needs_response" | "warning_under_review" | "won";
export type DisputeOutcome = "won" | "lost";

const EVIDENCE_FIELDS = [
  "access_activity_log",
  "billing_address",
  "cancellation_policy",
  "cancellation_policy_disclosure",
  "cancellation_rebuttal",
  "customer_communication",
  "customer_email_address",
  "customer_name",
  "customer_purchase_ip",
  "customer_signature",
  "duplicate_charge_documentation",
  "duplicate_charge_explanation",
  "duplicate_charge_id",
  "product_description",
  "receipt",
  "refund_policy",
  "refund_policy_disclosure",
  "refund_refusal_explanation",
  "service_date",
  "service_documentation",
  "shipping_address",
  "shipping_carrier",
  "shipping_date",
  "shipping_documentation",
  "shipping_tracking_number",
  "uncategorized_file",
  "uncategorized_text",
] as const;

const DAY = 86_400;
/** Stripe's dispute fee ($15.00 in the US), taken in the charge's currency. */
const DISPUTE_FEE = 1500;

function balanceTransaction(
  now: number,
  source: string,
  currency: string,
  f: { amount: number; fee: number; description: string; category: string },
) {
  return {
    id: newId("balance_transaction"),
    object: "balance_transaction" as const,
    amount: f.amount,
    available_on: now,
    balance_type: "payments",
    created: now,
    currency,
    description: f.description as string | null,
    exchange_rate: null,
    fee: f.fee,
    fee_details: [{ amount: f.fee, application: null, currency, description: "Dispute fee", type: "stripe_fee" }],
    net: f.amount - f.fee,
    reporting_category: f.category,
    source: source as string | null,
    status: "available",
    type: "adjustment" as const,
  };
}
type BalanceTransaction = ReturnType<typeof balanceTransaction>;

export function buildDispute(now: number, charge: Charge, f: { amount: number; reason: Reason }) {
  const brand = charge.payment_method_details.type === "card" ? (charge.payment_method_details.card.brand ?? "visa") : "visa";
  return {
    id: newId("dispute"),
    object: "dispute" as const,
    amount: f.amount,
    balance_transactions: [] as BalanceTransaction[],
    charge: charge.id,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [] as string[],
    evidence: {
      ...(Object.fromEntries(EVIDENCE_FIELDS.map((k) => [k, null])) as Record<(typeof EVIDENCE_FIELDS)[number], string | null>),
      enhanced_evidence: {},
    },
    evidence_details: {
      // The network's deadline, as Stripe shows it: the end of a day about three weeks away.
      due_by: ((Math.floor(now / DAY) + 20) * DAY - 1) as number | null,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    // A chargeback: the funds are already withdrawn, so a refund can no longer be issued.
    is_charge_refundable: false,
    livemode: false,
    metadata: {} as Metadata,
    payment_intent: charge.payment_intent as string | null,
    payment_method_details: {
      card: { brand, case_type: "chargeback", network: brand, network_reason_code: null as string | null },
      type: "card" as const,
    },
    reason: f.reason as string,
    status: "needs_response" as DisputeStatus,
  };
}
export type Dispute = ReturnType<typeof buildDispute>;

type Scope = { emu: Emulator; account: Account; request: EventRequest };

/**
 * The cardholder disputes `charge` (a card payment that succeeded), for `amount` (default: what was not
 * refunded): the dispute needs a response, and the amount and the fee are withdrawn.
 */
export function openDispute({ emu, account, request }: Scope, charge: Charge, f: { amount?: number; reason?: Reason }): Dispute {
  if (charge.status !== "succeeded" || charge.payment_method_details.type !== "card")
    throw invalidRequest(`Charge ${charge.id} cannot be disputed: only successful card payments can be (its status is ${charge.status}).`, {
      param: "id",
    });
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} has already been disputed.`, { param: "id" });
  const disputable = charge.amount_captured - charge.amount_refunded;
  const amount = f.amount ?? disputable;
  if (amount < 1 || amount > disputable)
    throw invalidParam("amount", `The disputed amount must be between 1 and ${disputable} (what was not refunded).`);
  const now = account.clock.now();
  const dispute = emu.store.insert(account, buildDispute(now, charge, { amount, reason: f.reason ?? "fraudulent" }));
  dispute.balance_transactions.push(
    balanceTransaction(now, dispute.id, dispute.currency, {
      amount: -amount,
      fee: DISPUTE_FEE,
      description: `Chargeback withdrawal for ${charge.id}`,
      category: "dispute",
    }),
  );
  applyChanges(charge, { disputed: true });
  emu.emit(account, "charge.dispute.created", dispute, { request });
  emu.emit(account, "charge.dispute.funds_withdrawn", dispute, { request });
  return dispute;
}

/** The dispute is decided: won gives back the amount and the fee (charge.dispute.funds_reinstated); lost keeps them withdrawn. */
export function closeDispute({ emu, account, request }: Scope, dispute: Dispute, outcome: DisputeOutcome): Dispute {
  if (!["needs_response", "under_review"].includes(dispute.status))
    throw invalidRequest(`This dispute is already closed (status: ${dispute.status}).`, { code: "dispute_already_closed" });
  const previous = applyChanges(dispute, { status: outcome });
  emu.emit(account, "charge.dispute.closed", dispute, { previous, request });
  if (outcome === "won") {
    const charge = emu.store.find(account, "charge", dispute.charge);
    dispute.balance_transactions.push(
      balanceTransaction(account.clock.now(), dispute.id, dispute.currency, {
        amount: dispute.amount,
        fee: -DISPUTE_FEE,
        description: `Chargeback reversal for ${charge.id}`,
        category: "dispute_reversal",
      }),
    );
    emu.emit(account, "charge.dispute.funds_reinstated", dispute, { request });
  }
  return dispute;
}

/** The charge's dispute, if it has one (a charge is disputed at most once). */
export function disputeOf(emu: Emulator, account: Account, charge: Charge): Dispute | undefined {
  return emu.store.all(account, "dispute").find((d) => d.charge === charge.id);
}

export const disputeRoutes: Route[] = [
  route("GET", "/v1/disputes/:id", retrieve("dispute")),
  route("GET", "/v1/disputes", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "charge", "payment_intent"]);
    const charge = params.str("charge");
    const paymentIntent = params.str("payment_intent");
    const created = createdFilter(params);
    const disputes = emu.store
      .newestFirst(account, "dispute")
      .filter(
        (d) =>
          (charge === undefined || d.charge === charge) &&
          (paymentIntent === undefined || d.payment_intent === paymentIntent) &&
          created(d),
      );
    return paginate(disputes, params, "/v1/disputes");
  }),
  // Accepting the dispute: Stripe closes it as lost.
  route("POST", "/v1/disputes/:id/close", (ctx) => {
    ctx.params.allowOnly(["expand"]);
    return closeDispute(ctx, ctx.emu.store.find(ctx.account, "dispute", ctx.path.id!), "lost");
  }),
];
