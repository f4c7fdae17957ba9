"use server";

import { adminAction, formText } from "@/lib/actions";
import { formatCredits } from "@/lib/format";
import { markPaymentRefunded, recordSettledPayment } from "@/lib/x402/recovery";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: credits a payment that settled on chain but was not recorded, now (audited, reason required). */
export const recordX402PaymentAction = adminAction(
  { revalidate: "/admin/x402" },
  async (operator, paymentId: string, formData: FormData): Promise<AdminActionResult> => {
    const result = await recordSettledPayment(paymentId, { operator, reason: formText(formData, "reason") });
    return result.outcome === "recorded"
      ? { ok: true, message: `Recorded: ${formatCredits(result.credits)} credits granted.` }
      : { ok: true, message: "It was recorded already (by the recovery job); nothing changed." };
  },
);

/** Operators only: closes a stuck payment whose USDC was returned by hand, with a note (audited). */
export const refundX402PaymentAction = adminAction(
  { revalidate: "/admin/x402" },
  async (operator, paymentId: string, formData: FormData): Promise<AdminActionResult> => {
    await markPaymentRefunded(paymentId, operator, formText(formData, "reason"));
    return { ok: true, message: "Marked refunded; it will not be credited." };
  },
);
