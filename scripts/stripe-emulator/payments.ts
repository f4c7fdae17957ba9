// One payment attempt on a payment intent: a card success, a card decline, or a bank transfer that
// settles later. Checkout (flows.ts), the payment intents API and invoices (billing/invoicing.ts) all
// pay through it, so charges and their events look the same whoever asked.
import type { Emulator } from "./emulator.ts";
import { apiError } from "./errors.ts";
import { newId } from "./ids.ts";
import {
  bankAccountDetails,
  billingDetails,
  buildCharge,
  cardDetails,
  OUTCOMES,
  type CardDetails,
  type Charge,
} from "./resources/charges.ts";
import { applyChanges } from "./resources/common.ts";
import { NO_REQUEST, type EventRequest } from "./resources/events.ts";
import type { PaymentIntent } from "./resources/payment-intents.ts";
import { declineErrorCode, DECLINES, TEST_CARD, type DeclineCode } from "./resources/payment-methods.ts";
import type { Account } from "./store.ts";

export type PayOutcome = "succeeded" | "declined" | "async";

export type Attempt = {
  outcome: PayOutcome;
  card?: CardDetails;
  declineCode?: DeclineCode;
  /** The stored payment method charged (invoices); a new id otherwise, as Stripe gives a one-off card. */
  paymentMethod?: string;
  email: string | null;
  name: string | null;
  request?: EventRequest;
};

/**
 * One payment attempt on `intent`: a charge (succeeded, pending for a bank transfer, or failed for a
 * decline), the intent's new state, and their events.
 */
export function attemptPayment(emu: Emulator, account: Account, intent: PaymentIntent, attempt: Attempt): Charge {
  const request = attempt.request ?? NO_REQUEST;
  const card = attempt.card ?? TEST_CARD;
  const paymentMethod = attempt.paymentMethod ?? newId("payment_method");
  const bank = attempt.outcome === "async";
  const declined = attempt.outcome === "declined";
  const charge = emu.store.insert(
    account,
    buildCharge(account.clock.now(), intent, {
      status: declined ? "failed" : bank ? "pending" : "succeeded",
      paymentMethod,
      billingDetails: billingDetails(attempt.email, attempt.name),
      details: bank ? bankAccountDetails() : cardDetails(card),
      outcome: declined
        ? { ...OUTCOMES.declined, reason: attempt.declineCode ?? "generic_decline" }
        : bank
          ? OUTCOMES.pending
          : OUTCOMES.authorized,
    }),
  );
  if (declined) {
    const code = attempt.declineCode ?? "generic_decline";
    applyChanges(charge, { failure_code: declineErrorCode(code), failure_message: DECLINES[code] });
    // Stripe's error carries the payment method it tried (a stored one; Checkout's one-off cards are not kept).
    const stored = emu.store.get(account, "payment_method", paymentMethod);
    const error = apiError({
      type: "card_error",
      code: declineErrorCode(code),
      decline_code: code,
      message: DECLINES[code],
      charge: charge.id,
      ...(stored && { payment_method: structuredClone(stored) }),
      payment_method_type: "card",
    });
    applyChanges(intent, { status: "requires_payment_method", last_payment_error: error, latest_charge: charge.id, payment_method: null });
    emu.emit(account, "charge.failed", charge, { request });
    emu.emit(account, "payment_intent.payment_failed", intent, { request });
    return charge;
  }
  applyChanges(intent, {
    status: bank ? "processing" : "succeeded",
    amount_received: bank ? 0 : intent.amount,
    latest_charge: charge.id,
    payment_method: paymentMethod,
    last_payment_error: null,
  });
  emu.emit(account, bank ? "charge.pending" : "charge.succeeded", charge, { request });
  emu.emit(account, bank ? "payment_intent.processing" : "payment_intent.succeeded", intent, { request });
  return charge;
}
