import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { adjust, getBalance } from "@/lib/credits";
import { AppError } from "@/lib/errors";
import { stripe } from "@/lib/billing/stripe/client";
import { createPackCheckout } from "@/lib/billing/stripe/checkout";
import { createPortalSession } from "@/lib/billing/stripe/portal";
import { packSource } from "@/lib/billing/stripe/purchases";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { expectInvariants, workspaceWith } from "./helpers";

// The whole path through the official SDK: our checkout → the emulator's payment → its signed webhook
// over HTTP → our route → the ledger.
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const base = () => env.STRIPE_API_BASE!;
const key = () => env.STRIPE_SECRET_KEY!;
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) => emulatorControl<T>(base(), key(), method, path, body);

type Delivery = { status: number | null; attempt: number };

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
});
afterAll(() => receiver.close());

async function buy(packId = "starter_1000", outcome: "succeeded" | "declined" | "async" = "succeeded") {
  const account = await workspaceWith(0, "pack");
  const session = await createPackCheckout({ workspaceId: account.workspaceId, email: account.email, request: { pack_id: packId } });
  await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome });
  return { ...account, sessionId: session.id };
}

const purchased = (workspaceId: string, sessionId: string) =>
  db.creditGrant.findUnique({ where: { workspaceId_source: { workspaceId, source: packSource(sessionId) } } });

async function eventFor(type: string, objectId: string) {
  return waitFor(async () => {
    const events = await stripe().events.list({ type, limit: 100 });
    return events.data.find((e) => (e.data.object as { id: string }).id === objectId);
  }, `${type} for ${objectId}`);
}

async function deliveries(eventId: string) {
  return control<{ data: Delivery[] }>("GET", `/deliveries?event=${eventId}`).then((r) => r.data);
}

async function processed(eventId: string) {
  return waitFor(() => db.stripeEvent.findFirst({ where: { id: eventId, processedAt: { not: null } } }), `event ${eventId} processed`);
}

describe("credit packs through Stripe Checkout", () => {
  it("refuses an unknown or inactive pack with 400 invalid_pack", async () => {
    const { workspaceId, email } = await workspaceWith(0, "nopack");
    for (const packId of ["nope_123", "STARTER_1000"]) {
      const err = await createPackCheckout({ workspaceId, email, request: { pack_id: packId } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(400);
      expect((err as AppError).code).toBe("invalid_pack");
    }
    await db.creditPack.upsert({
      where: { id: "retired_pack" },
      create: { id: "retired_pack", name: "Retired", credits: 10, priceCents: 10, active: false },
      update: { active: false },
    });
    const err = await createPackCheckout({ workspaceId, email, request: { pack_id: "retired_pack" } }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("invalid_pack");
  });

  it("opens a payment-mode session for the pack at its live price, with one customer per workspace", async () => {
    const { workspaceId, email } = await workspaceWith(0, "session");
    const first = await createPackCheckout({ workspaceId, email, request: { pack_id: "growth_5000" } });
    const second = await createPackCheckout({ workspaceId, email, request: { pack_id: "growth_5000" } });
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const session = await stripe().checkout.sessions.retrieve(first.id);
    expect(session).toMatchObject({ mode: "payment", amount_total: 5000, currency: "usd", status: "open", payment_status: "unpaid" });
    expect(session.metadata).toMatchObject({ workspace_id: workspaceId, pack_id: "growth_5000", credits: "5000" });
    const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    expect(workspace.stripeCustomerId).toMatch(/^cus_/);
    expect((await stripe().checkout.sessions.retrieve(second.id)).customer).toBe(workspace.stripeCustomerId);
  });

  it("grants the pack's credits as PURCHASED once the webhook says it is paid, with the Stripe ids in the ledger", async () => {
    const { workspaceId, sessionId } = await buy();
    const grant = await waitFor(() => purchased(workspaceId, sessionId), "the purchased grant");
    expect(grant).toMatchObject({ type: "PURCHASED", amount: 1000, remaining: 1000, expiresAt: null });
    const entry = await db.ledgerEntry.findFirstOrThrow({ where: { grantId: grant.id } });
    expect(entry).toMatchObject({ kind: "GRANT", amount: 1000, reference: sessionId });
    expect(entry.reason).toMatch(/starter_1000.*pi_/);
    expect((await getBalance(workspaceId)).remaining).toBe(1000);
    await expectInvariants(workspaceId);
  });

  it("a declined card grants nothing", async () => {
    const { workspaceId, sessionId } = await buy("starter_1000", "declined");
    expect((await stripe().checkout.sessions.retrieve(sessionId)).status).toBe("open");
    expect(await purchased(workspaceId, sessionId)).toBeNull();
  });

  it("the same event delivered three times grants once", async () => {
    const { workspaceId, sessionId } = await buy();
    const event = await eventFor("checkout.session.completed", sessionId);
    await processed(event.id);
    await control("POST", `/events/${event.id}/resend`);
    await control("POST", `/events/${event.id}/resend`);
    const attempts = await waitFor(async () => {
      const d = await deliveries(event.id);
      return d.filter((x) => x.status === 200).length >= 3 ? d : undefined;
    }, "three answered deliveries");
    expect(attempts.filter((x) => x.status === 200)).toHaveLength(3);
    expect(await db.creditGrant.count({ where: { workspaceId, type: "PURCHASED" } })).toBe(1);
    expect((await getBalance(workspaceId)).remaining).toBe(1000);
  });

  it("waits for an async payment to clear before granting", async () => {
    const { workspaceId, sessionId } = await buy("starter_1000", "async");
    const completed = await eventFor("checkout.session.completed", sessionId);
    await processed(completed.id);
    expect(await purchased(workspaceId, sessionId)).toBeNull();
    const session = await stripe().checkout.sessions.retrieve(sessionId);
    await control("POST", `/payment_intents/${session.payment_intent as string}/settle`, { outcome: "succeeded" });
    const grant = await waitFor(() => purchased(workspaceId, sessionId), "the grant after settlement");
    expect(grant.amount).toBe(1000);
  });

  it("refuses a missing or wrong signature with 400 and changes nothing", async () => {
    const { workspaceId, sessionId } = await buy();
    const event = await eventFor("checkout.session.completed", sessionId);
    await processed(event.id);
    const before = await db.stripeEvent.count();
    const payload = JSON.stringify({ ...event, id: "evt_forged_1", data: { object: { ...event.data.object, id: sessionId } } });
    const unsigned = await webhook(new Request("http://x/api/stripe/webhook", { method: "POST", body: payload }));
    expect(unsigned.status).toBe(400);
    expect((await unsigned.json()).error.code).toBe("invalid_request");
    const signed = stripe().webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
    const forged = await webhook(
      new Request("http://x/api/stripe/webhook", { method: "POST", body: payload, headers: { "stripe-signature": signed } }),
    );
    expect(forged.status).toBe(400);
    expect(await db.stripeEvent.count()).toBe(before);
    expect(await db.creditGrant.count({ where: { workspaceId, type: "PURCHASED" } })).toBe(1);
  });

  it("claws back partial and full refunds in proportion to the money", async () => {
    const { workspaceId, sessionId } = await buy();
    await waitFor(() => purchased(workspaceId, sessionId), "the purchased grant");
    const intent = (await stripe().checkout.sessions.retrieve(sessionId)).payment_intent as string;
    await stripe().refunds.create({ payment_intent: intent, amount: 400 });
    await waitFor(
      async () => ((await purchased(workspaceId, sessionId))?.remaining === 600 ? true : undefined),
      "600 left after a 40% refund",
    );
    const clawback = await db.ledgerEntry.findFirstOrThrow({ where: { workspaceId, kind: "CLAWBACK" } });
    expect(clawback.amount).toBe(-400);
    expect(clawback.reference).toMatch(/^ch_/);
    expect(clawback.reason).toMatch(/refund.*\$4 of \$10/);
    await stripe().refunds.create({ payment_intent: intent });
    await waitFor(
      async () => ((await purchased(workspaceId, sessionId))?.remaining === 0 ? true : undefined),
      "nothing left after the full refund",
    );
    const total = await db.ledgerEntry.aggregate({ where: { workspaceId, kind: "CLAWBACK" }, _sum: { amount: true } });
    expect(total._sum.amount).toBe(-1000);
    await expectInvariants(workspaceId);
  });

  it("a refund after the credits were spent claws back only what is left", async () => {
    const { workspaceId, userId, sessionId } = await buy();
    await waitFor(() => purchased(workspaceId, sessionId), "the purchased grant");
    await adjust({ workspaceId, credits: -700, reason: "spent on work", actorUserId: userId });
    const intent = (await stripe().checkout.sessions.retrieve(sessionId)).payment_intent as string;
    const refund = await stripe().refunds.create({ payment_intent: intent });
    const event = await eventFor("charge.refunded", refund.charge as string);
    await processed(event.id);
    const grant = await purchased(workspaceId, sessionId);
    expect(grant?.remaining).toBe(0);
    const total = await db.ledgerEntry.aggregate({ where: { workspaceId, kind: "CLAWBACK" }, _sum: { amount: true } });
    expect(total._sum.amount).toBe(-300);
    expect((await getBalance(workspaceId)).remaining).toBe(0);
    await expectInvariants(workspaceId);
  });

  it("answers 5xx while processing fails, and succeeds when Stripe retries", async () => {
    const account = await workspaceWith(0, "retry");
    const session = await createPackCheckout({
      workspaceId: account.workspaceId,
      email: account.email,
      request: { pack_id: "starter_1000" },
    });
    // Our handler reads the session back from Stripe: make those reads fail for a while (3 = the SDK's
    // own attempts for one delivery), so the first delivery fails in our handler.
    await control("POST", "/faults", { method: "GET", path: `/v1/checkout/sessions/${session.id}`, status: 500, count: 3 });
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    const event = await eventFor("checkout.session.completed", session.id);
    await processed(event.id);
    const attempts = await deliveries(event.id);
    expect(attempts[0]?.status).toBeGreaterThanOrEqual(500);
    expect(attempts.at(-1)?.status).toBe(200);
    expect((await purchased(account.workspaceId, session.id))?.amount).toBe(1000);
  });

  it("opens the Billing Portal for the workspace's customer", async () => {
    const { workspaceId, email } = await workspaceWith(0, "portal");
    const { url } = await createPortalSession({ workspaceId, email });
    expect(url).toMatch(/\/p\/session\/bps_/);
    const customer = (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).stripeCustomerId;
    expect(customer).toMatch(/^cus_/);
  });
});
