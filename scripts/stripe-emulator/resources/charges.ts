// charge: https://docs.stripe.com/api/charges/object — retrieve, list (payment_intent, customer), and the
// charge's refunds. Charges are created by Checkout payments (flows.ts) and updated by refunds.
import { createHash } from "node:crypto";
import { retrieve, route, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";
import { createdFilter, LIST_PARAMS, listOf, paginate, type ListObject } from "../list.ts";
import type { Address } from "./common.ts";
import type { PaymentIntent } from "./payment-intents.ts";
import type { Refund } from "./refunds.ts";

export type BillingDetails = {
  address: Address | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  tax_id: string | null;
};

export type CardDetails = { brand: string; last4: string; exp_month: number; exp_year: number };

/** The billing details a card payment collects (Checkout's form: email, name, and a US postal code). */
export function billingDetails(email: string | null, name: string | null): BillingDetails {
  return {
    address: { city: null, country: "US", line1: null, line2: null, postal_code: "42424", state: null },
    email,
    name,
    phone: null,
    tax_id: null,
  };
}

type CardPaymentMethodDetails = {
  type: "card";
  card: {
    brand: string | null;
    checks: { address_line1_check: string | null; address_postal_code_check: string | null; cvc_check: string | null } | null;
    country: string | null;
    exp_month: number;
    exp_year: number;
    fingerprint: string | null;
    funding: string | null;
    installments: null;
    last4: string | null;
    mandate: string | null;
    network: string | null;
    network_token: { used: boolean } | null;
    three_d_secure: null;
    wallet: null;
  };
};
type BankPaymentMethodDetails = {
  type: "us_bank_account";
  us_bank_account: {
    account_holder_type: "company" | "individual" | null;
    account_type: "checking" | "savings" | null;
    bank_name: string | null;
    fingerprint: string | null;
    last4: string | null;
    routing_number: string | null;
  };
};
export type PaymentMethodDetails = CardPaymentMethodDetails | BankPaymentMethodDetails;

/** The same card always has the same fingerprint, as at Stripe. */
export function cardFingerprint(card: CardDetails): string {
  return createHash("sha256").update(`${card.brand}${card.last4}`).digest("base64url").slice(0, 16);
}

export function cardDetails(card: CardDetails): CardPaymentMethodDetails {
  return {
    type: "card",
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      fingerprint: cardFingerprint(card),
      funding: "credit",
      installments: null,
      last4: card.last4,
      mandate: null,
      network: card.brand,
      network_token: { used: false },
      three_d_secure: null,
      wallet: null,
    },
  };
}

export function bankAccountDetails(): BankPaymentMethodDetails {
  return {
    type: "us_bank_account",
    us_bank_account: {
      account_holder_type: "individual",
      account_type: "checking",
      bank_name: "STRIPE TEST BANK",
      fingerprint: "emulatorbank6789",
      last4: "6789",
      routing_number: "110000000",
    },
  };
}

export type ChargeOutcome = {
  network_status: string | null;
  reason: string | null;
  risk_level: string;
  risk_score: number;
  seller_message: string | null;
  type: string;
};

export const OUTCOMES = {
  authorized: {
    network_status: "approved_by_network",
    reason: null,
    risk_level: "normal",
    risk_score: 12,
    seller_message: "Payment complete.",
    type: "authorized",
  },
  declined: {
    network_status: "declined_by_network",
    reason: "generic_decline",
    risk_level: "normal",
    risk_score: 12,
    seller_message: "The bank did not return any further details with this decline.",
    type: "issuer_declined",
  },
  pending: { network_status: null, reason: null, risk_level: "not_assessed", risk_score: 0, seller_message: null, type: "authorized" },
} satisfies Record<string, ChargeOutcome>;

export function buildCharge(
  now: number,
  pi: PaymentIntent,
  f: {
    status: "failed" | "pending" | "succeeded";
    paymentMethod: string;
    billingDetails: BillingDetails;
    details: PaymentMethodDetails;
    outcome: ChargeOutcome;
  },
) {
  const id = newId("charge");
  const succeeded = f.status === "succeeded";
  return {
    id,
    object: "charge" as const,
    amount: pi.amount,
    amount_captured: succeeded ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: f.billingDetails,
    calculated_statement_descriptor: (pi.statement_descriptor ?? "CREDITBOOK") as string | null,
    captured: f.status !== "failed",
    created: now,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null as string | null,
    failure_message: null as string | null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: f.outcome as ChargeOutcome | null,
    paid: succeeded,
    payment_intent: pi.id,
    payment_method: f.paymentMethod,
    payment_method_details: f.details,
    radar_options: {},
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    refunds: listOf<Refund>([], `/v1/charges/${id}/refunds`) as ListObject<Refund> | null,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: f.status as "failed" | "pending" | "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
}
export type Charge = ReturnType<typeof buildCharge>;

export const chargeRoutes: Route[] = [
  route("GET", "/v1/charges/:id", retrieve("charge")),
  route("GET", "/v1/charges/:id/refunds", ({ emu, account, path, params }) => {
    params.allowOnly(LIST_PARAMS);
    const charge = emu.store.find(account, "charge", path.id!);
    const refunds = emu.store.newestFirst(account, "refund").filter((r) => r.charge === charge.id);
    return paginate(refunds, params, `/v1/charges/${charge.id}/refunds`);
  }),
  route("GET", "/v1/charges", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "customer", "payment_intent"]);
    const customer = params.str("customer");
    const paymentIntent = params.str("payment_intent");
    const created = createdFilter(params);
    const charges = emu.store
      .newestFirst(account, "charge")
      .filter(
        (c) =>
          (customer === undefined || c.customer === customer) &&
          (paymentIntent === undefined || c.payment_intent === paymentIntent) &&
          created(c),
      );
    return paginate(charges, params, "/v1/charges");
  }),
];
