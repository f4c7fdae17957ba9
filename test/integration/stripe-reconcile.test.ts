import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { debit, getBalance } from "@/lib/credits";
import { stripe } from "@/lib/billing/stripe/client";
import { createCardSetupSession, processAutoTopUps, syncCardSetup, topUpSource, updateAutoTopUp } from "@/lib/billing/stripe/auto-top-up";
import { createPackCheckout } from "@/lib/billing/stripe/checkout";
import { packSource } from "@/lib/billing/stripe/purchases";
import { reconcileStripeEvents, describeReconcile } from "@/lib/billing/stripe/reconcile";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { expectInvariants, workspaceWith } from "./helpers";

// A webhook dropped on purpose (the emulator's /_emulator/webhooks/drop) loses nothing: reconciliation
// lists Stripe's events since its cursor and processes the missed one through the webhook's own path.
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) =>
  emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);
const actionKey = `reconciletest.${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
  await db.actionPrice.create({
    data: {
      actionKey,
      version: 1,
      name: "Reconcile test action",
      category: "OTHER",
      credits: 1,
      effectiveFrom: new Date(0),
      reason: "test",
    },
  });
});
afterAll(() => receiver.close());

async function eventOf(type: string, objectId: string) {
  return waitFor(
    async () => (await stripe().events.list({ type, limit: 100 })).data.find((e) => (e.data.object as { id: string }).id === objectId),
    `${type} of ${objectId}`,
  );
}
const processed = (id: string) =>
  waitFor(() => db.stripeEvent.findFirst({ where: { id, processedAt: { not: null } } }), `event ${id} processed`);

describe("stripe:reconcile", () => {
  it("recovers an auto top-up whose payment_intent.succeeded webhook was dropped, once", async () => {
    const account = await workspaceWith(110, "reconcile");
    const { workspaceId } = account;
    const session = await createCardSetupSession({ workspaceId, email: account.email });
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    await syncCardSetup(session.id, workspaceId);
    await updateAutoTopUp(workspaceId, account.userId, {
      enabled: true,
      threshold_credits: 100,
      pack_id: "starter_1000",
      monthly_cap: 3,
      cooldown_minutes: 10,
    });
    // first run: the cursor starts here, so the second run below reads only what follows
    await reconcileStripeEvents();

    await control("POST", "/webhooks/drop", { count: 1, type: "payment_intent.succeeded" });
    await debit({ workspaceId, actionKey, quantity: 20 });
    await processAutoTopUps({ workspaceIds: [workspaceId] });
    const attempt = await db.autoTopUpAttempt.findFirstOrThrow({ where: { workspaceId } });
    expect(attempt.status).toBe("SUCCEEDED");
    const intentId = attempt.paymentIntentId!;

    // the charge's own event arrives (deliveries work); the payment intent's was dropped: no credits
    const chargeSucceeded = await eventOf("charge.succeeded", (await stripe().paymentIntents.retrieve(intentId)).latest_charge as string);
    await processed(chargeSucceeded.id);
    const lost = await eventOf("payment_intent.succeeded", intentId);
    const attempts = await control<{ data: { outcome: string }[] }>("GET", `/deliveries?event=${lost.id}`);
    expect(attempts.data.map((d) => d.outcome)).toEqual(["dropped"]);
    expect(await db.stripeEvent.findUnique({ where: { id: lost.id } })).toBeNull();
    expect(await db.creditGrant.findUnique({ where: { workspaceId_source: { workspaceId, source: topUpSource(intentId) } } })).toBeNull();
    expect((await getBalance(workspaceId)).remaining).toBe(90);

    const report = await reconcileStripeEvents();
    expect(report.failed).toEqual([]);
    expect(report.processed).toContainEqual({ id: lost.id, type: "payment_intent.succeeded", handled: true });
    expect(report.alreadyProcessed).toBeGreaterThan(0); // what the webhook did handle is skipped
    expect(describeReconcile(report).join("\n")).toContain(`recovered ${lost.id} payment_intent.succeeded`);
    const grant = await db.creditGrant.findUniqueOrThrow({ where: { workspaceId_source: { workspaceId, source: topUpSource(intentId) } } });
    expect(grant).toMatchObject({ type: "PURCHASED", amount: 1000 });
    expect((await getBalance(workspaceId)).remaining).toBe(1090);

    // again: nothing left to recover, nothing granted twice
    const again = await reconcileStripeEvents();
    expect(again.processed.map((p) => p.id)).not.toContain(lost.id);
    expect(await db.creditGrant.count({ where: { workspaceId, type: "PURCHASED" } })).toBe(1);
    const cursor = await db.stripeEventCursor.findMany();
    expect(cursor.some((c) => c.createdBefore > lost.created)).toBe(true);
    await expectInvariants(workspaceId);
  });

  it("recovers a Checkout pack whose checkout.session.completed webhook was dropped", async () => {
    const account = await workspaceWith(0, "reconcile-pack");
    await control("POST", "/webhooks/drop", { count: 1, type: "checkout.session.completed" });
    const session = await createPackCheckout({
      workspaceId: account.workspaceId,
      email: account.email,
      request: { pack_id: "growth_5000" },
    });
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    const lost = await eventOf("checkout.session.completed", session.id);
    const source = packSource(session.id);
    expect(await db.creditGrant.findUnique({ where: { workspaceId_source: { workspaceId: account.workspaceId, source } } })).toBeNull();

    const report = await reconcileStripeEvents();
    expect(report.processed.map((p) => p.id)).toContain(lost.id);
    expect(await db.creditGrant.findUnique({ where: { workspaceId_source: { workspaceId: account.workspaceId, source } } })).toMatchObject({
      amount: 5000,
    });
  });
});
