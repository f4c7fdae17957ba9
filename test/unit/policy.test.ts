import { describe, expect, it } from "vitest";
import { retryAfterSeconds, shortfallOutcome } from "@/lib/credits/policy";

describe("out-of-credits policies", () => {
  it("queues only queue-policy debits; reservations and other policies are denied", () => {
    expect(shortfallOutcome("QUEUE", false)).toBe("queue");
    expect(shortfallOutcome("QUEUE", true)).toBe("deny");
    expect(shortfallOutcome("REJECT", false)).toBe("deny");
    expect(shortfallOutcome("RATE_LIMIT", false)).toBe("deny");
  });

  it("tells rate-limited MCP callers to retry at the reset, never in 0 seconds", () => {
    const reset = new Date("2026-12-01T00:00:00Z");
    expect(retryAfterSeconds("RATE_LIMIT", reset, new Date("2026-11-30T23:00:00Z"))).toBe(3600);
    expect(retryAfterSeconds("RATE_LIMIT", reset, new Date("2026-11-30T23:59:59.500Z"))).toBe(1);
    expect(retryAfterSeconds("RATE_LIMIT", reset, reset)).toBe(1);
    expect(retryAfterSeconds("REJECT", reset, new Date("2026-11-30T23:00:00Z"))).toBeNull();
    expect(retryAfterSeconds("QUEUE", reset, new Date("2026-11-30T23:00:00Z"))).toBeNull();
  });
});
