import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 characters, as in Stripe's ids. */
export function randomChars(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

// Stripe's id prefixes (checkout sessions carry the mode: cs_test_ in test mode).
const PREFIXES = {
  customer: "cus_",
  product: "prod_",
  price: "price_",
  "checkout.session": "cs_test_",
  item: "li_",
  payment_intent: "pi_",
  charge: "ch_",
  refund: "re_",
  event: "evt_",
  "billing_portal.session": "bps_",
  "billing_portal.configuration": "bpc_",
  webhook_endpoint: "we_",
  payment_method: "pm_",
  subscription: "sub_",
  subscription_item: "si_",
  invoice: "in_",
  line_item: "il_",
  invoice_item: "ii_",
  invoice_payment: "inpay_",
  setup_intent: "seti_",
  dispute: "du_",
  balance_transaction: "txn_",
  request: "req_",
} as const;

export type IdKind = keyof typeof PREFIXES;

export function newId(kind: IdKind): string {
  return PREFIXES[kind] + randomChars(kind === "checkout.session" ? 58 : kind === "request" ? 14 : 24);
}

export function newWebhookSecret(): string {
  return "whsec_" + randomChars(32);
}
