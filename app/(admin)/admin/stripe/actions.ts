"use server";

import { revalidatePath } from "next/cache";
import { actionFailure } from "@/lib/actions";
import { requireAdmin } from "@/lib/auth/session";
import { replayStripeEvent } from "@/lib/admin/stripe-events";
import type { AdminActionResult } from "@/components/admin/types";

const OUTCOME: Record<Awaited<ReturnType<typeof replayStripeEvent>>, string> = {
  handled: "Replayed: the event was processed.",
  ignored: "Replayed: this event type needs no processing; it is marked processed.",
  failed: "The replay failed again; the error is shown on the event.",
};

/** Operators only: runs a failed Stripe event's handler again (audited). */
export async function replayStripeEventAction(eventId: string): Promise<AdminActionResult> {
  try {
    const operator = await requireAdmin();
    const outcome = await replayStripeEvent(eventId, operator.id);
    revalidatePath("/admin/stripe");
    return outcome === "failed" ? { ok: false, message: OUTCOME.failed } : { ok: true, message: OUTCOME[outcome] };
  } catch (err) {
    return actionFailure(err);
  }
}
