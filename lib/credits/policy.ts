import type { OutOfCreditsPolicy } from "@/lib/generated/prisma/client";

/**
 * Out-of-credits policies (pure), docs/design.md "Debits": REJECT answers 402 with the balance and refill
 * options; RATE_LIMIT (MCP tools) answers 429 with Retry-After until the reset; QUEUE accepts the
 * action and charges it when credits arrive. Reservations are never queued: async work that cannot be
 * held is refused. credits_charge (SQL) applies the same rule on the hot path.
 */
export function shortfallOutcome(policy: OutOfCreditsPolicy, reservation: boolean): "queue" | "deny" {
  return policy === "QUEUE" && !reservation ? "queue" : "deny";
}

/** Seconds a RATE_LIMIT denial tells the caller to wait: until the reset, at least 1. Null otherwise. */
export function retryAfterSeconds(policy: OutOfCreditsPolicy, resetAt: Date, at: Date): number | null {
  if (policy !== "RATE_LIMIT") return null;
  return Math.max(1, Math.ceil((resetAt.getTime() - at.getTime()) / 1000));
}
