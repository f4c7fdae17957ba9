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

export { AUTO_TOP_UP_PURPOSE, topUpSource } from "@/lib/billing/stripe/auto-top-up/common";
export {
  DEFAULT_COOLDOWN_MINUTES,
  autoTopUpNotice,
  autoTopUpSettingsSchema,
  dismissAutoTopUpNotice,
  getAutoTopUp,
  updateAutoTopUp,
  type AutoTopUpAttemptView,
  type AutoTopUpSettingsInput,
  type AutoTopUpView,
} from "@/lib/billing/stripe/auto-top-up/settings";
export { createCardSetupSession, syncCardSetup, type CardSync } from "@/lib/billing/stripe/auto-top-up/card";
export {
  CLAIM_LEASE_MS,
  STALE_AFTER_MS,
  idempotencyKeyOf,
  processAutoTopUps,
  type TopUpRun,
} from "@/lib/billing/stripe/auto-top-up/charge";
export { AUTO_TOP_UP_FAILED_EVENT, failTopUpPayment, settleTopUpPayment, syncTopUpRefund } from "@/lib/billing/stripe/auto-top-up/settle";
