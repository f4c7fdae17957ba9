import { describe, expect, it } from "vitest";
import { POST as creditsRoute } from "@/app/api/x402/credits/route";
import { POST as trackRoute } from "@/app/api/v1/track/route";
import { call, keyFor } from "./api-support";
import { workspaceWith } from "./helpers";

// A facilitator nobody listens on (read lazily by lib/env.ts, after this line): x402 is configured on,
// but every payment must fail cleanly, and running out of credits still answers the usual 402.
process.env.X402_FACILITATOR_URL = "http://127.0.0.1:1";

describe("x402 with the facilitator unreachable", () => {
  it("an out-of-credits track answers insufficient_credits without the x402 offer", async () => {
    const { workspaceId } = await workspaceWith(0, "x402-down");
    const { key } = await keyFor(workspaceId);
    const res = await call(trackRoute, { key, body: { action: "aria.chat" } });
    expect(res.status).toBe(402);
    expect(res.json.error).toMatchObject({ code: "insufficient_credits", required: 1 });
    expect(res.json.error!.x402).toBeUndefined();
    expect(res.headers.get("PAYMENT-REQUIRED")).toBeNull();
  });

  it("a payment attempt answers 503 service_unavailable, retryable, and records nothing", async () => {
    const { workspaceId } = await workspaceWith(0, "x402-down-paid");
    const { key } = await keyFor(workspaceId);
    const paid = await call(trackRoute, {
      key,
      body: { action: "aria.chat" },
      headers: { "PAYMENT-SIGNATURE": "eyJ4NDAyVmVyc2lvbiI6Mn0=" },
    });
    expect(paid.status).toBe(503);
    expect(paid.json.error).toMatchObject({ code: "service_unavailable", retryable: true });
    const pack = await call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: "starter_1000" } });
    expect(pack.status).toBe(503);
    expect(pack.json.error).toMatchObject({ code: "service_unavailable" });
  });
});
