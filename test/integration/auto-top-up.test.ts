import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { databaseUrl, env } from "@/lib/env";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { adjust, debit, getBalance } from "@/lib/credits";
import { AppError } from "@/lib/errors";
import { stripe } from "@/lib/billing/stripe/client";
import {
  createCardSetupSession,
  getAutoTopUp,
  processAutoTopUps,
  syncCardSetup,
  topUpSource,
  updateAutoTopUp,
} from "@/lib/billing/stripe/auto-top-up";
import { deliverWebhooks } from "@/lib/jobs/webhooks";
import { verifySignature, workspaceSigningSecret, SIGNATURE_HEADER } from "@/lib/webhooks/signing";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { expectInvariants, workspaceWith } from "./helpers";

// Auto top-up end to end on real parts: setup-mode Checkout in the emulator saves a card, debits through
// credits_charge record the crossing, the job charges off-session through the SDK, the emulator's signed
// payment_intent.succeeded reaches our webhook route over HTTP and grants the pack.
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) =>
  emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);
const actionKey = `topuptest.${randomUUID().slice(0, 8)}`; // 1 credit, our own price row

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
  await db.actionPrice.create({
    data: { actionKey, version: 1, name: "Top-up test action", category: "OTHER", credits: 1, effectiveFrom: new Date(0), reason: "test" },
  });
});
afterAll(() => receiver.close());
afterEach(() => {
  testClock.reset();
});

type Options = { credits: number; threshold?: number; cap?: number; cooldown?: number; paymentMethod?: string; alertWebhookUrl?: string };

/** A workspace with `credits`, a card saved through setup-mode Checkout, and auto top-up on (starter_1000). */
async function enabledWorkspace(o: Options) {
  const account = await workspaceWith(o.credits, "topup");
  if (o.alertWebhookUrl) await db.workspace.update({ where: { id: account.workspaceId }, data: { alertWebhookUrl: o.alertWebhookUrl } });
  const session = await createCardSetupSession({ workspaceId: account.workspaceId, email: account.email });
  await control("POST", `/checkout/sessions/${session.id}/pay`, {
    outcome: "succeeded",
    ...(o.paymentMethod ? { payment_method: o.paymentMethod } : {}),
  });
  expect(await syncCardSetup(session.id, account.workspaceId)).toEqual({ status: "saved", workspaceId: account.workspaceId });
  await updateAutoTopUp(account.workspaceId, account.userId, {
    enabled: true,
    threshold_credits: o.threshold ?? 100,
    pack_id: "starter_1000",
    monthly_cap: o.cap ?? 3,
    cooldown_minutes: o.cooldown ?? 10,
  });
  return account;
}

const spend = (workspaceId: string, quantity: number) => debit({ workspaceId, actionKey, quantity });
const attempts = (workspaceId: string) =>
  db.autoTopUpAttempt.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const customerOf = async (workspaceId: string) => (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).stripeCustomerId!;
const intentsOf = async (workspaceId: string) =>
  (await stripe().paymentIntents.list({ customer: await customerOf(workspaceId), limit: 100 })).data;
const purchasedGrant = (workspaceId: string, paymentIntentId: string) =>
  waitFor(
    () => db.creditGrant.findUnique({ where: { workspaceId_source: { workspaceId, source: topUpSource(paymentIntentId) } } }),
    `the grant of ${paymentIntentId}`,
  );

/** Runs the job until this workspace's attempts are all settled (other files' attempts may share the run). */
async function settleAttempts(workspaceId: string) {
  return waitFor(async () => {
    await processAutoTopUps({ workspaceIds: [workspaceId] }); // other files' workspaces belong to other Stripe accounts
    const open = await db.autoTopUpAttempt.count({ where: { workspaceId, status: { in: ["PENDING", "CHARGING"] } } });
    return open === 0 ? attempts(workspaceId) : undefined;
  }, "settled attempts");
}

describe("auto top-up: settings and saved card", () => {
  it("saves the card from setup-mode Checkout and refuses to turn on without one, or with bad settings", async () => {
    const account = await workspaceWith(500, "topup-settings");
    const settings = { enabled: true, threshold_credits: 100, pack_id: "starter_1000", monthly_cap: 3, cooldown_minutes: 10 };
    const noCard = await updateAutoTopUp(account.workspaceId, account.userId, settings).catch((e: unknown) => e);
    expect(noCard).toBeInstanceOf(AppError);
    expect((noCard as AppError).code).toBe("conflict");

    const bad = await updateAutoTopUp(account.workspaceId, account.userId, {
      ...settings,
      threshold_credits: -5,
      monthly_cap: 0,
      extra: 1,
    }).catch((e: unknown) => e);
    expect((bad as AppError).status).toBe(400);
    expect((bad as AppError).options.details?.fields).toMatchObject({
      threshold_credits: expect.any(String),
      monthly_cap: expect.any(String),
    });
    const badPack = await updateAutoTopUp(account.workspaceId, account.userId, { ...settings, pack_id: "nope" }).catch((e: unknown) => e);
    expect((badPack as AppError).code).toBe("invalid_pack");

    const session = await createCardSetupSession({ workspaceId: account.workspaceId, email: account.email });
    expect(await stripe().checkout.sessions.retrieve(session.id)).toMatchObject({
      mode: "setup",
      metadata: { workspace_id: account.workspaceId, purpose: "auto_top_up" },
    });
    // before payment: still open; another workspace cannot claim the session
    expect((await syncCardSetup(session.id, account.workspaceId)).status).toBe("open");
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    expect((await syncCardSetup(session.id, "someone_else")).status).toBe("not_ours");
    // the webhook (checkout.session.completed in setup mode) saves it too; either way the same card
    const saved = await waitFor(async () => (await getAutoTopUp(account.workspaceId)).card ?? undefined, "the saved card");
    expect(saved).toEqual({ brand: "visa", last4: "4242" });
    const customer = await stripe().customers.retrieve(await customerOf(account.workspaceId));
    expect((customer as { invoice_settings: { default_payment_method: string } }).invoice_settings.default_payment_method).toMatch(/^pm_/);

    const view = await updateAutoTopUp(account.workspaceId, account.userId, settings);
    expect(view).toMatchObject({
      enabled: true,
      thresholdCredits: 100,
      packId: "starter_1000",
      monthlyCap: 3,
      cooldownMinutes: 10,
      attempts: [],
    });
    expect((await db.workspace.findUniqueOrThrow({ where: { id: account.workspaceId } })).autoTopUpThreshold).toBe(100);
    await updateAutoTopUp(account.workspaceId, account.userId, { ...settings, enabled: false });
    expect((await db.workspace.findUniqueOrThrow({ where: { id: account.workspaceId } })).autoTopUpThreshold).toBeNull();
  });
});

describe("auto top-up: crossing the threshold", () => {
  it("20 concurrent debits crossing the threshold record one crossing and make exactly one charge; the webhook grants the pack", async () => {
    const { workspaceId } = await enabledWorkspace({ credits: 110, threshold: 100 });
    const results = await Promise.all(Array.from({ length: 20 }, () => spend(workspaceId, 2)));
    expect(results.every((r) => r.outcome === "charged")).toBe(true);
    expect((await getBalance(workspaceId)).remaining).toBe(70);

    const recorded = await attempts(workspaceId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ status: "PENDING", thresholdCredits: 100, balanceBefore: 100, balanceAfter: 98 });
    // the crossing is recorded against the debit that made it, in the debit's transaction
    expect(results.map((r) => (r.outcome === "charged" ? r.eventId : null))).toContain(recorded[0]!.usageEventId);

    // two workers at once still charge once (SKIP LOCKED claim, idempotency key = attempt id)
    await Promise.all([processAutoTopUps({ workspaceIds: [workspaceId] }), processAutoTopUps({ workspaceIds: [workspaceId] })]);
    const [attempt] = await settleAttempts(workspaceId);
    expect(attempt).toMatchObject({ status: "SUCCEEDED", packId: "starter_1000", credits: 1000, amountCents: 1000, reason: null });
    const intents = await intentsOf(workspaceId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({
      id: attempt!.paymentIntentId,
      status: "succeeded",
      amount: 1000,
      metadata: { auto_top_up_attempt: attempt!.id, pack_id: "starter_1000" },
    });

    const grant = await purchasedGrant(workspaceId, attempt!.paymentIntentId!);
    expect(grant).toMatchObject({ type: "PURCHASED", amount: 1000, remaining: 1000, expiresAt: null });
    expect((await getBalance(workspaceId)).remaining).toBe(1070);
    const view = await getAutoTopUp(workspaceId);
    expect(view.attempts[0]).toMatchObject({ status: "SUCCEEDED", granted: true, credits: 1000 });
    expect(view.purchasesThisMonth).toBe(1);

    // a worker that died after Stripe answered: the lease runs out, the attempt is claimed again and
    // charged with the same idempotency key, so Stripe replays its first answer instead of charging twice
    await db.autoTopUpAttempt.update({
      where: { id: attempt!.id },
      data: { status: "CHARGING", claimedAt: new Date(Date.now() - 10 * 60_000) },
    });
    const [again] = await settleAttempts(workspaceId);
    expect(again).toMatchObject({ status: "SUCCEEDED", paymentIntentId: attempt!.paymentIntentId, tries: 2 });
    expect(await intentsOf(workspaceId)).toHaveLength(1);
    expect(await db.creditGrant.count({ where: { workspaceId, type: "PURCHASED" } })).toBe(1);
    await expectInvariants(workspaceId);
  });

  it("wakes the jobs worker: the crossing sends NOTIFY auto_top_up with the workspace id when the debit commits", async () => {
    const { workspaceId } = await enabledWorkspace({ credits: 110, threshold: 100 });
    const listener = new pg.Client({ connectionString: databaseUrl() });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on("notification", (n) => {
        if (n.channel === "auto_top_up" && n.payload) heard.push(n.payload);
      });
      await listener.query("LISTEN auto_top_up");
      await spend(workspaceId, 5); // 105: no crossing, no notification
      await spend(workspaceId, 10); // 95: crossing
      await waitFor(async () => heard.includes(workspaceId), "the notification");
      expect(heard.filter((w) => w === workspaceId)).toHaveLength(1);
    } finally {
      await listener.end();
    }
  });

  it("debits that stay above, or start below, the threshold record nothing", async () => {
    const { workspaceId } = await enabledWorkspace({ credits: 300, threshold: 100 });
    await spend(workspaceId, 150); // 150: above
    expect(await attempts(workspaceId)).toHaveLength(0);
    await spend(workspaceId, 60); // 90: crosses
    await spend(workspaceId, 10); // 80: already below
    expect(await attempts(workspaceId)).toHaveLength(1);
  });

  it("respects the cooldown and the monthly cap, and says why in the history", async () => {
    testClock.set(new Date(Date.UTC(2031, 4, 10, 12, 0, 0))); // before the workspace exists: one credit period
    const { workspaceId, userId } = await enabledWorkspace({ credits: 110, threshold: 100, cap: 2, cooldown: 10 });
    await spend(workspaceId, 20); // 90
    const [first] = await settleAttempts(workspaceId);
    expect(first!.status).toBe("SUCCEEDED");
    await purchasedGrant(workspaceId, first!.paymentIntentId!); // 1090

    // 5 minutes later, another crossing: inside the cooldown → skipped, no charge
    testClock.advance(5 * 60_000);
    await spend(workspaceId, 1000); // 90
    const second = (await settleAttempts(workspaceId))[1]!;
    expect(second.status).toBe("SKIPPED");
    expect(second.reason).toMatch(/^Cooldown: the last top-up was less than 10 minutes ago/);
    expect(await intentsOf(workspaceId)).toHaveLength(1);

    // after the cooldown: charged again (purchase 2 of 2)
    testClock.advance(6 * 60_000);
    await adjust({ workspaceId, credits: 20, reason: "lift above the threshold", actorUserId: userId }); // 110
    await spend(workspaceId, 20); // 90
    const third = (await settleAttempts(workspaceId))[2]!;
    expect(third.status).toBe("SUCCEEDED");
    await purchasedGrant(workspaceId, third.paymentIntentId!); // 1090

    // the cap: a third purchase this month is refused, even after the cooldown
    testClock.advance(30 * 60_000);
    await spend(workspaceId, 1000); // 90
    const fourth = (await settleAttempts(workspaceId))[3]!;
    expect(fourth.status).toBe("SKIPPED");
    expect(fourth.reason).toBe("Monthly cap reached: 2 of 2 top-ups this month.");
    expect(await intentsOf(workspaceId)).toHaveLength(2);

    // next month the cap starts again
    testClock.set(new Date(Date.UTC(2031, 5, 1, 9, 0, 0)));
    await adjust({ workspaceId, credits: 200, reason: "lift above the threshold", actorUserId: userId });
    const { remaining } = await getBalance(workspaceId);
    await spend(workspaceId, remaining - 50);
    const fifth = (await settleAttempts(workspaceId))[4]!;
    expect(fifth.status).toBe("SUCCEEDED");
    expect(await intentsOf(workspaceId)).toHaveLength(3);
    await expectInvariants(workspaceId);
  });

  it("a declined card switches auto top-up off, records why, opens the owners' notice and calls the alert webhook", async () => {
    const calls: { body: string; signature: string | null }[] = [];
    const alerts = await serveRoute(async (req) => {
      calls.push({ body: await req.text(), signature: req.headers.get(SIGNATURE_HEADER) });
      return new Response("ok");
    });
    try {
      const { workspaceId, userId } = await enabledWorkspace({
        credits: 110,
        threshold: 100,
        paymentMethod: "pm_card_chargeCustomerFail",
        alertWebhookUrl: alerts.url,
      });
      await spend(workspaceId, 20);
      await settleAttempts(workspaceId);
      await waitFor(async () => {
        await deliverWebhooks();
        return calls.length > 0;
      }, "the alert webhook");
      const [attempt] = await attempts(workspaceId);
      expect(attempt).toMatchObject({ status: "DECLINED", reason: "Your card was declined. (generic_decline)" });
      expect(attempt!.paymentIntentId).toMatch(/^pi_/);

      const view = await getAutoTopUp(workspaceId);
      expect(view).toMatchObject({ enabled: false, noticeOpen: true, disabledReason: "Your card was declined. (generic_decline)" });
      expect((await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).autoTopUpThreshold).toBeNull();

      const call = calls[0]!;
      expect(verifySignature(workspaceSigningSecret(workspaceId), call.signature ?? "", call.body)).toBe(true);
      expect(JSON.parse(call.body)).toMatchObject({
        type: "auto_top_up.failed",
        data: {
          workspace_id: workspaceId,
          attempt_id: attempt!.id,
          outcome: "declined",
          pack_id: "starter_1000",
          amount_cents: 1000,
          auto_top_up_enabled: false,
        },
      });

      // payment_intent.payment_failed arrives too: the same attempt, settled once, one webhook
      const failed = await waitFor(async () => {
        const list = await stripe().events.list({ type: "payment_intent.payment_failed", limit: 100 });
        const event = list.data.find((e) => (e.data.object as { id: string }).id === attempt!.paymentIntentId);
        return event ? db.stripeEvent.findFirst({ where: { id: event.id, processedAt: { not: null } } }) : undefined;
      }, "payment_failed processed");
      expect(failed).toBeTruthy();
      expect(await db.webhookDelivery.count({ where: { workspaceId, type: "auto_top_up.failed" } })).toBe(1);

      // switched off: further crossings record nothing, and nothing is charged
      await adjust({ workspaceId, credits: 100, reason: "lift", actorUserId: userId });
      await spend(workspaceId, 150);
      expect(await attempts(workspaceId)).toHaveLength(1);
      expect(await intentsOf(workspaceId)).toHaveLength(1);
    } finally {
      await alerts.close();
    }
  });

  it("skips an attempt recorded before the owner switched auto top-up off", async () => {
    const { workspaceId, userId } = await enabledWorkspace({ credits: 110, threshold: 100 });
    await spend(workspaceId, 20);
    await updateAutoTopUp(workspaceId, userId, {
      enabled: false,
      threshold_credits: 100,
      pack_id: "starter_1000",
      monthly_cap: 3,
      cooldown_minutes: 10,
    });
    const [attempt] = await settleAttempts(workspaceId);
    expect(attempt).toMatchObject({ status: "SKIPPED", reason: "Auto top-up was switched off before the charge." });
    expect(await intentsOf(workspaceId)).toHaveLength(0);
  });

  it("does not charge an attempt that waited more than 23 hours (past Stripe's idempotency window a retry could charge twice)", async () => {
    const { workspaceId } = await enabledWorkspace({ credits: 110, threshold: 100 });
    await spend(workspaceId, 20);
    await db.autoTopUpAttempt.updateMany({ where: { workspaceId }, data: { createdAt: new Date(Date.now() - 24 * 3_600_000) } });
    const [attempt] = await settleAttempts(workspaceId);
    expect(attempt).toMatchObject({ status: "SKIPPED" });
    expect(attempt!.reason).toContain("more than 23 hours");
    expect(await intentsOf(workspaceId)).toHaveLength(0);
    expect((await db.autoTopUp.findUniqueOrThrow({ where: { workspaceId } })).enabled).toBe(true); // still on for the next drop
  });
});
