"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { formatCredits } from "@/lib/format";
import { markPaymentRefunded, recordSettledPayment } from "@/lib/x402/recovery";
import type { AdminActionResult } from "@/components/admin/types";

/** Operators only: credits a payment that settled on chain but was not recorded, now (audited, reason required). */
export async function recordX402PaymentAction(paymentId: string, formData: FormData): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    const result = await recordSettledPayment(paymentId, { operator, reason: String(formData.get("reason") ?? "") });
    revalidatePath("/admin/x402");
    return result.outcome === "recorded"
      ? { ok: true, message: `Recorded: ${formatCredits(result.credits)} credits granted.` }
      : { ok: true, message: "It was recorded already (by the recovery job); nothing changed." };
  } catch (err) {
    return actionFailure(err);
  }
}

/** Operators only: closes a stuck payment whose USDC was returned by hand, with a note (audited). */
export async function refundX402PaymentAction(paymentId: string, formData: FormData): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    await markPaymentRefunded(paymentId, operator, String(formData.get("reason") ?? ""));
    revalidatePath("/admin/x402");
    return { ok: true, message: "Marked refunded; it will not be credited." };
  } catch (err) {
    return actionFailure(err);
  }
}
