import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { stripe } from "@/lib/billing/stripe/client";
import { createPlanCheckout } from "@/lib/billing/stripe/subscriptions";
import { planPrice } from "@/lib/billing/stripe/prices";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl } from "./stripe-support";
import { expectInvariants, newAccount } from "./helpers";

// This file's Stripe account has no webhook endpoint: the test delivers the events itself, signed as
// Stripe signs them, in every order.
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) =>
  emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);
const MID_MARCH = new Date("2031-03-15T12:00:00Z");

// One clock for the whole file (set once, below): the emulator's and ours tick on together.
afterAll(() => {
  testClock.reset();
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

async function deliver(event: Stripe.Event) {
  const payload = JSON.stringify(event);
  const header = stripe().webhooks.generateTestHeaderString({ payload, secret: env.STRIPE_WEBHOOK_SECRET! });
  const res = await webhook(
    new Request("http://localhost/api/stripe/webhook", { method: "POST", body: payload, headers: { "stripe-signature": header } }),
  );
  expect(res.status).toBe(200);
}

/** A workspace subscribed to Starter and then upgraded to Pro in Stripe, with the four events that told of it. */
async function starterThenPro() {
  const { workspaceId, email } = await newAccount("order");
  await db.workspace.update({ where: { id: workspaceId }, data: { trialUsedAt: new Date("2030-01-01") } });
  const session = await createPlanCheckout({ workspaceId, email, planId: "starter", interval: "month" });
  const paid = await control<{ subscription: string }>("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
  const subscription = await stripe().subscriptions.retrieve(paid.subscription);
  const pro = await planPrice(await db.plan.findUniqueOrThrow({ where: { id: "pro" } }), "month");
  await stripe().subscriptions.update(subscription.id, {
    items: [{ id: subscription.items.data[0]!.id, price: pro.id }],
    proration_behavior: "always_invoice",
  });
  const events = (await stripe().events.list({ limit: 100 })).data.filter((e) => {
    const object = e.data.object as { id: string; customer?: string };
    return object.id === subscription.id || object.customer === subscription.customer;
  });
  const pick = (type: string, nth = 0) => events.filter((e) => e.type === type).reverse()[nth]!;
  return {
    workspaceId,
    events: [
      pick("customer.subscription.created"),
      pick("invoice.paid", 0),
      pick("customer.subscription.updated"),
      pick("invoice.paid", 1),
    ],
  };
}

async function outcome(workspaceId: string) {
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  const grants = await db.creditGrant.findMany({
    where: { workspaceId },
    orderBy: [{ type: "asc" }, { source: "asc" }],
    select: { type: true, amount: true, remaining: true },
  });
  return { planId: workspace.planId, status: workspace.subscriptionStatus, pendingPlanId: workspace.pendingPlanId, grants };
}

/** The one outcome every order must reach. */
const EXPECTED = {
  planId: "pro",
  status: "ACTIVE",
  pendingPlanId: null,
  grants: [
    { type: "SUBSCRIPTION", amount: 5000, remaining: 5000 },
    { type: "BONUS", amount: 300, remaining: 300 },
  ],
};
const EVENT_NAMES = ["created", "paid", "upgraded", "paid again"];

// 24 orders, six per test (by the event that comes first): each test stays well inside the timeout on a
// busy machine, and a failure names the order.
describe("subscription events in any order", () => {
  beforeAll(async () => {
    testClock.set(MID_MARCH);
    await control("POST", "/clock", { now: Math.floor(MID_MARCH.getTime() / 1000) });
  });

  it("there are 24 orders of created, paid, upgraded, paid", () => {
    expect(permutations([0, 1, 2, 3])).toHaveLength(24);
  });

  it.each([0, 1, 2, 3])("the six orders that begin with event %i give the same plan and grants, delivered once or twice", async (first) => {
    const orders = permutations([0, 1, 2, 3]).filter((o) => o[0] === first);
    expect(orders).toHaveLength(6);
    for (const order of orders) {
      const { workspaceId, events } = await starterThenPro();
      expect(events.every(Boolean)).toBe(true);
      for (const i of order) await deliver(events[i]!);
      // Each event delivered again changes nothing either.
      for (const i of order) await deliver(events[i]!);
      expect(await outcome(workspaceId), order.map((i) => EVENT_NAMES[i]).join(" → ")).toEqual(EXPECTED);
      await expectInvariants(workspaceId);
    }
  });
});
