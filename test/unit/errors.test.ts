import { describe, expect, it } from "vitest";
import { AppError, ERROR_STATUS, errorResponse, fieldErrors } from "@/lib/errors";
import { withRequestId } from "@/lib/log";

describe("error shape", () => {
  it("maps codes to their HTTP status and the documented JSON body", async () => {
    const err = new AppError("insufficient_credits", "Not enough credits.", { nextStep: "Buy a pack.", details: { remaining: 3 } });
    const res = errorResponse(err);
    expect(res.status).toBe(402);
    expect(await res.json()).toEqual({
      error: {
        code: "insufficient_credits",
        message: "Not enough credits.",
        retryable: false,
        actionable_next_step: "Buy a pack.",
        remaining: 3,
      },
    });
  });

  it("marks rate limits retryable and keeps their headers", async () => {
    const res = errorResponse(new AppError("rate_limited", "Slow down.", { headers: { "Retry-After": "60" } }));
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect((await res.json()).error.retryable).toBe(true);
  });

  it("turns unknown errors into a 500 without leaking their message, naming the request to quote", async () => {
    const res = withRequestId("req-500", () => errorResponse(new Error("connection string postgres://secret")));
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(JSON.stringify(body)).not.toContain("secret");
    expect(body.error).toMatchObject({ code: "internal_error", retryable: true, request_id: "req-500" });
    expect(body.error.message).toContain("req-500");
  });

  it("has a status for every code in the closed list, 4xx for the client's mistakes", () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      if (code.startsWith("invalid") || code.includes("credits") || code.includes("conflict")) expect(status, code).toBeLessThan(500);
    }
  });

  it("reports the first message per field", () => {
    expect(
      fieldErrors([
        { path: ["email"], message: "a" },
        { path: ["email"], message: "b" },
        { path: [], message: "c" },
      ]),
    ).toEqual({ email: "a", _: "c" });
  });
});
