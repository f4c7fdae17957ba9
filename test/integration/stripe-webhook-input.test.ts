import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { stripe } from "@/lib/billing/stripe/client";
import { POST as webhook } from "@/app/api/stripe/webhook/route";

// Bodies signed with the endpoint's real secret: what only Stripe (or whoever holds the secret) can send.
function signed(payload: string, timestamp = Math.floor(Date.now() / 1000)) {
  const header = stripe().webhooks.generateTestHeaderString({ payload, secret: env.STRIPE_WEBHOOK_SECRET!, timestamp });
  return webhook(
    new Request("http://x/api/stripe/webhook", {
      method: "POST",
      body: payload,
      headers: { "stripe-signature": header, "content-type": "application/json" },
    }),
  );
}

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  object: "event",
  type: "customer.created",
  created: Math.floor(Date.now() / 1000),
  data: { object: { id: "cus_webhook_input", object: "customer" } },
  ...extra,
});

describe("the Stripe webhook's input", () => {
  it("answers 400 for a validly signed body that is not JSON or not an event, and records nothing", async () => {
    const before = await db.stripeEvent.count();
    const bodies = [
      "not json at all",
      "{",
      "[]",
      "null",
      JSON.stringify({ id: 5, type: "checkout.session.completed", data: {} }),
      JSON.stringify(event("evt_wrong_data", { data: "object" })),
      JSON.stringify(event("evt_wrong_object", { data: { object: "cs_123" } })),
      JSON.stringify(event("evt_wrong_type", { type: ["checkout.session.completed"] })),
      JSON.stringify(event("evt_wrong_created", { created: "yesterday" })),
      JSON.stringify(event("not-an-event-id")),
    ];
    for (const body of bodies) {
      const res = await signed(body);
      expect(res.status, body).toBe(400);
      expect((await res.json()).error.code, body).toBe("invalid_request");
    }
    expect(await db.stripeEvent.count()).toBe(before);
  });

  it("refuses a signature dated beyond the tolerance either way, and takes one dated now", async () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = await signed(JSON.stringify(event("evt_from_the_future")), now + 3600);
    expect(ahead.status).toBe(400);
    expect((await ahead.json()).error.message).toContain("future");
    expect((await signed(JSON.stringify(event("evt_from_the_past")), now - 3600)).status).toBe(400);
    expect(await db.stripeEvent.count({ where: { id: { in: ["evt_from_the_future", "evt_from_the_past"] } } })).toBe(0);

    const id = `evt_input_ok_${now}`;
    const ok = await signed(JSON.stringify(event(id)), now + 60);
    expect(ok.status).toBe(200);
    expect(await db.stripeEvent.count({ where: { id } })).toBe(1);
  });
});
