"use server";

import { adminAction } from "@/lib/actions";
import { replayStripeEvent } from "@/lib/admin/stripe-events";
import type { AdminActionResult } from "@/components/admin/types";

const OUTCOME: Record<Awaited<ReturnType<typeof replayStripeEvent>>, string> = {
  handled: "Replayed: the event was processed.",
  ignored: "Replayed: this event type needs no processing; it is marked processed.",
  failed: "The replay failed again; the error is shown on the event.",
};

/** Operators only: runs a failed Stripe event's handler again (audited). */
export const replayStripeEventAction = adminAction(
  { revalidate: "/admin/stripe" },
  async (operator, eventId: string): Promise<AdminActionResult> => {
    const outcome = await replayStripeEvent(eventId, operator.id);
    return outcome === "failed" ? { ok: false, message: OUTCOME.failed } : { ok: true, message: OUTCOME[outcome] };
  },
);
