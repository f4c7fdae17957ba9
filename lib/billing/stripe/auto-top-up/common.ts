/** The names every part of auto top-up shares (docs/decisions/008-auto-top-up.md). */

export const AUTO_TOP_UP_PURPOSE = "auto_top_up";

/** The grant source of a pack bought by an auto top-up payment intent: one grant per payment, ever. */
export const topUpSource = (paymentIntentId: string) => `payment_intent:${paymentIntentId}`;

/** The first day of `at`'s calendar month (UTC): the monthly cap counts from here. */
export const monthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));

/** A Stripe payment error as the attempt's reason: its message and its decline code (or error code). */
export const declineReason = (error: { message?: string; decline_code?: string; code?: string }, fallback = "The payment failed.") =>
  `${error.message ?? fallback}${error.decline_code ? ` (${error.decline_code})` : error.code ? ` (${error.code})` : ""}`;
