import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { debit, getBalance } from "@/lib/credits";
import { stripe } from "@/lib/billing/stripe/client";
import { createPackCheckout } from "@/lib/billing/stripe/checkout";
import { packSource } from "@/lib/billing/stripe/purchases";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { expectInvariants, workspaceWith } from "./helpers";

// Chargebacks on a pack's payment, through the emulator's signed charge.dispute.* webhooks: open →
// the pack's unspent credits are frozen; won → released; lost → clawed back. Spent credits stay spent.
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) =>
  emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);
const actionKey = `disputetest.${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
  await db.actionPrice.create({
    data: { actionKey, version: 1, name: "Dispute test action", category: "OTHER", credits: 1, effectiveFrom: new Date(0), reason: "test" },
  });
});
afterAll(() => receiver.close());

/** A workspace that bought starter_1000 through Checkout (granted by the webhook) and spent 300 of it. */
async function boughtAndSpent() {
  const account = await workspaceWith(0, "dispute");
  const session = await createPackCheckout({
    workspaceId: account.workspaceId,
    email: account.email,
    request: { pack_id: "starter_1000" },
  });
  await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
  const grant = await waitFor(
    () =>
      db.creditGrant.findUnique({ where: { workspaceId_source: { workspaceId: account.workspaceId, source: packSource(session.id) } } }),
    "the pack",
  );
  expect((await debit({ workspaceId: account.workspaceId, actionKey, quantity: 300 })).outcome).toBe("charged");
  const paid = await stripe().checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
  const chargeId = (paid.payment_intent as Stripe.PaymentIntent).latest_charge as string;
  return { ...account, grantId: grant.id, chargeId };
}

/** Waits until our webhook processed the dispute event of this type. */
async function processedDisputeEvent(type: string, disputeId: string) {
  return waitFor(async () => {
    const events = await stripe().events.list({ type, limit: 100 });
    const event = events.data.find((e) => (e.data.object as { id: string }).id === disputeId);
    return event ? db.stripeEvent.findFirst({ where: { id: event.id, processedAt: { not: null } } }) : undefined;
  }, `${type} processed`);
}

const remainingOf = async (grantId: string) => (await db.creditGrant.findUniqueOrThrow({ where: { id: grantId } })).remaining;
const entries = (grantId: string, kind: "FREEZE" | "UNFREEZE" | "CLAWBACK") => db.ledgerEntry.findMany({ where: { grantId, kind } });

describe("disputes on a pack's payment", () => {
  it("freezes the unspent credits while the dispute is open and releases them when it is won", async () => {
    const { workspaceId, grantId, chargeId } = await boughtAndSpent();
    expect((await getBalance(workspaceId)).remaining).toBe(700);

    const dispute = await control<Stripe.Dispute>("POST", `/charges/${chargeId}/dispute`, { reason: "fraudulent" });
    await processedDisputeEvent("charge.dispute.created", dispute.id);
    expect(await remainingOf(grantId)).toBe(0);
    expect((await getBalance(workspaceId)).remaining).toBe(0);
    const [freeze] = await entries(grantId, "FREEZE");
    expect(freeze).toMatchObject({ amount: -700, reference: dispute.id });
    // frozen credits cannot be spent
    expect((await debit({ workspaceId, actionKey, quantity: 1 })).outcome).toBe("denied");

    await control("POST", `/disputes/${dispute.id}/close`, { outcome: "won" });
    await processedDisputeEvent("charge.dispute.closed", dispute.id);
    expect(await remainingOf(grantId)).toBe(700);
    expect((await entries(grantId, "UNFREEZE")).map((e) => e.amount)).toEqual([700]);
    expect(await entries(grantId, "CLAWBACK")).toEqual([]);
    expect((await getBalance(workspaceId)).remaining).toBe(700);
    await expectInvariants(workspaceId);
  });

  it("claws back the frozen credits when the dispute is lost; spent credits stay spent", async () => {
    const { workspaceId, grantId, chargeId } = await boughtAndSpent();
    const dispute = await control<Stripe.Dispute>("POST", `/charges/${chargeId}/dispute`, {});
    await processedDisputeEvent("charge.dispute.created", dispute.id);
    expect(await remainingOf(grantId)).toBe(0);

    await control("POST", `/disputes/${dispute.id}/close`, { outcome: "lost" });
    await processedDisputeEvent("charge.dispute.closed", dispute.id);
    expect(await remainingOf(grantId)).toBe(0);
    expect((await entries(grantId, "UNFREEZE")).map((e) => e.amount)).toEqual([700]);
    const clawbacks = await entries(grantId, "CLAWBACK");
    expect(clawbacks.map((e) => [e.amount, e.reference])).toEqual([[-700, dispute.id]]);
    expect((await getBalance(workspaceId)).remaining).toBe(0);
    await expectInvariants(workspaceId);

    // the closed event delivered again (or reconciled late) changes nothing
    const closed = await processedDisputeEvent("charge.dispute.closed", dispute.id);
    await control("POST", `/events/${closed.id}/resend`);
    await waitFor(async () => {
      const d = await control<{ data: { status: number | null }[] }>("GET", `/deliveries?event=${closed.id}`);
      return d.data.filter((x) => x.status === 200).length >= 2;
    }, "the second delivery");
    expect(await entries(grantId, "CLAWBACK")).toHaveLength(1);
  });

  it("a late 'created' after the dispute was won freezes nothing (the handler reads the dispute's state)", async () => {
    const { workspaceId, grantId, chargeId } = await boughtAndSpent();
    const dispute = await control<Stripe.Dispute>("POST", `/charges/${chargeId}/dispute`, {});
    await processedDisputeEvent("charge.dispute.created", dispute.id);
    await control("POST", `/disputes/${dispute.id}/close`, { outcome: "won" });
    await processedDisputeEvent("charge.dispute.closed", dispute.id);
    // replay the creation as if it came late: the StripeEvent row is forgotten so it is processed again
    const created = await processedDisputeEvent("charge.dispute.created", dispute.id);
    await db.stripeEvent.delete({ where: { id: created.id } });
    await control("POST", `/events/${created.id}/resend`);
    await waitFor(() => db.stripeEvent.findFirst({ where: { id: created.id, processedAt: { not: null } } }), "the late created");
    expect(await remainingOf(grantId)).toBe(700);
    expect(await entries(grantId, "FREEZE")).toHaveLength(1);
    await expectInvariants(workspaceId);
  });
});
