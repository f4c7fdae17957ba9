import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { getBalance } from "@/lib/credits";
import { sweepCredits } from "@/lib/credits/sweep";
import { stripe } from "@/lib/billing/stripe/client";
import {
  cancelLapsedSubscriptions,
  changeSubscriptionPlan,
  createPlanCheckout,
  previewPlanChange,
  syncAfterPortal,
  syncSubscription,
  undoScheduledChange,
} from "@/lib/billing/stripe/subscriptions";
import { loadPlanState } from "@/lib/billing/plan-state";
import { settleCheckoutReturn } from "@/lib/billing/stripe/checkout-return";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { expectInvariants, newAccount } from "./helpers";

// Plans through the real SDK against the emulator, with its clock and the app's moved together.
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) =>
  emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);
const DAY = 86_400_000;
const MID_MARCH = new Date("2031-03-15T12:00:00Z");
const APRIL_1 = new Date("2031-04-01T00:00:00Z");

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
});
afterAll(() => receiver.close());
afterEach(() => {
  testClock.reset();
});

/** Moves the emulator's clock (this file's account) and the app's test clock to the same instant. */
async function moveClocks(to: Date) {
  testClock.set(to);
  await control("POST", "/clock", { now: Math.floor(to.getTime() / 1000) });
}

const workspaceOf = (id: string) => db.workspace.findUniqueOrThrow({ where: { id } });
const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>) => waitFor(probe, what);

async function subscribe(planId: string, options: { trial?: boolean; card?: "succeeds" | "declines"; interval?: "month" | "year" } = {}) {
  await moveClocks(MID_MARCH);
  const account = await newAccount(`sub-${planId}`);
  if (!options.trial) await db.workspace.update({ where: { id: account.workspaceId }, data: { trialUsedAt: new Date("2030-01-01") } });
  const session = await createPlanCheckout({
    workspaceId: account.workspaceId,
    email: account.email,
    planId,
    interval: options.interval ?? "month",
  });
  await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
  const workspace = await until(`${planId} subscription`, async () => {
    const w = await workspaceOf(account.workspaceId);
    return w.planId === planId && w.stripeSubscriptionId ? w : undefined;
  });
  if (options.card) await control("POST", `/customers/${workspace.stripeCustomerId}/card`, { outcome: options.card });
  return { ...account, session, subscriptionId: workspace.stripeSubscriptionId!, customerId: workspace.stripeCustomerId! };
}

/**
 * Every event of this customer so far delivered (and handled): a test that injects faults or drops a
 * webhook must not have its rule taken, or its state converged, by a late webhook of the subscription's start.
 */
const webhooksDelivered = (customerId: string) =>
  until("every webhook of the customer delivered", async () => {
    const events = (await stripe().events.list({ limit: 100 })).data;
    const theirs = events.filter((e) => (e.data.object as { customer?: unknown }).customer === customerId);
    return theirs.length > 0 && theirs.every((e) => e.pending_webhooks === 0);
  });

describe("subscriptions through Stripe", () => {
  it("Free → Pro with a trial: Checkout, allowance granted at once, billing when the trial ends", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro", { trial: true });
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "pro", subscriptionStatus: "TRIALING" });
    expect((await workspaceOf(workspaceId)).trialUsedAt).not.toBeNull();
    expect((await getBalance(workspaceId)).allowanceRemaining).toBe(5000);
    const sub = await stripe().subscriptions.retrieve(subscriptionId);
    expect(sub.status).toBe("trialing");
    expect(sub.trial_end! - sub.trial_start!).toBe(30 * 86_400);
    await moveClocks(new Date(MID_MARCH.getTime() + 31 * DAY));
    await until("active after the trial", async () => (await workspaceOf(workspaceId)).subscriptionStatus === "ACTIVE");
    const invoices = await stripe().invoices.list({ subscription: subscriptionId });
    expect(invoices.data.some((i) => i.status === "paid" && i.amount_paid === 2900)).toBe(true);
    await expectInvariants(workspaceId);
  });

  it("a monthly plan without a trial bills on the 1st: the first partial month is prorated", async () => {
    const { workspaceId, subscriptionId } = await subscribe("starter");
    const sub = await stripe().subscriptions.retrieve(subscriptionId);
    expect(sub.billing_cycle_anchor).toBe(APRIL_1.getTime() / 1000);
    const [first] = (await stripe().invoices.list({ subscription: subscriptionId })).data;
    // 16.5 of March's 31 days at $9.99.
    expect(first?.amount_paid).toBe(Math.round((999 * (APRIL_1.getTime() - MID_MARCH.getTime())) / (31 * DAY)));
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "starter", subscriptionStatus: "ACTIVE" });
    expect((await getBalance(workspaceId)).allowance).toBe(1000);
  });

  it("an annual plan renews on its anniversary and grants its allowance monthly on that day", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro", { interval: "year" });
    const [first] = (await stripe().invoices.list({ subscription: subscriptionId })).data;
    expect(first?.amount_paid).toBe(29_000);
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "pro", billingInterval: "YEAR", periodAnchor: MID_MARCH });
    let balance = await getBalance(workspaceId);
    expect(balance.period).toEqual({ start: "2031-03-15T00:00:00.000Z", end: "2031-04-15T00:00:00.000Z" });
    expect(balance.remainingByType.SUBSCRIPTION).toBe(5000); // the monthly Free allowance was replaced, not added
    await moveClocks(new Date("2031-04-15T00:01:00Z"));
    balance = await getBalance(workspaceId);
    expect(balance.period.start).toBe("2031-04-15T00:00:00.000Z");
    expect(balance.allowanceRemaining).toBe(5000);
    expect((await stripe().invoices.list({ subscription: subscriptionId })).data).toHaveLength(1); // billed yearly
    await expectInvariants(workspaceId);
  });

  it("upgrade Starter → Pro mid-month: at once, +4,000 credits, a prorated invoice", async () => {
    const { workspaceId, subscriptionId } = await subscribe("starter");
    const change = await changeSubscriptionPlan({ workspaceId, planId: "pro", interval: "month" });
    expect(change.effective).toBe("now");
    expect((await workspaceOf(workspaceId)).planId).toBe("pro");
    const topUps = await db.ledgerEntry.findMany({
      where: { workspaceId, kind: "GRANT", reason: { startsWith: "upgrade" } },
      orderBy: { id: "asc" },
    });
    expect(topUps.map((e) => e.amount)).toEqual([900, 4000]); // Free → Starter at checkout, then Starter → Pro
    const invoices = await stripe().invoices.list({ subscription: subscriptionId });
    expect(invoices.data.some((i) => i.lines.data.some((l) => l.amount > 0) && i.amount_paid > 0 && i.amount_paid < 2900)).toBe(true);
    await expectInvariants(workspaceId);
  });

  it("back from the portal while Stripe cannot be read: the page still renders, and the next read converges", async () => {
    const { workspaceId, subscriptionId, customerId } = await subscribe("pro");
    await webhooksDelivered(customerId);
    await control("POST", "/webhooks/drop", { count: 1, type: "customer.subscription.updated" });
    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await control("POST", "/faults", { method: "GET", path: `/v1/subscriptions/${subscriptionId}`, status: 500, count: 2 });
    await expect(syncAfterPortal(workspaceId)).resolves.toBeUndefined(); // a read and its one retry, both failed: logged
    expect(await control<{ data: unknown[] }>("GET", "/faults")).toMatchObject({ data: [] });
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "active" });
    await syncAfterPortal(workspaceId);
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "cancelling" });
  });

  it("downgrade Pro → Starter waits for the 1st; cancel shows its date and ends on Free with 100 credits", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro");
    const change = await changeSubscriptionPlan({ workspaceId, planId: "starter", interval: "month" });
    expect(change.effective).toBe("period_end");
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "pro", pendingPlanId: "starter", pendingPlanAt: APRIL_1 });

    // Cancel, as the Billing Portal does.
    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await until("cancellation scheduled", async () => (await workspaceOf(workspaceId)).pendingPlanId === "free");
    expect((await workspaceOf(workspaceId)).pendingPlanAt).toEqual(APRIL_1);

    await moveClocks(new Date(APRIL_1.getTime() + 60_000));
    await until("back on Free", async () => {
      const w = await workspaceOf(workspaceId);
      return w.planId === "free" && w.subscriptionStatus === "NONE" && w.stripeSubscriptionId === null;
    });
    const balance = await getBalance(workspaceId);
    expect(balance.allowance).toBe(100);
    expect(balance.allowanceRemaining).toBe(100);
    expect((await stripe().subscriptions.retrieve(subscriptionId)).status).toBe("canceled");
    await expectInvariants(workspaceId);
  });

  it("cancelling during the trial charges nothing and returns to Free at the trial's end", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro", { trial: true });
    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await until("cancellation scheduled", async () => (await workspaceOf(workspaceId)).pendingPlanId === "free");
    await moveClocks(new Date(MID_MARCH.getTime() + 30 * DAY + 60_000));
    await sweepCredits({ workspaceIds: [workspaceId] });
    await until("Free after the trial", async () => (await workspaceOf(workspaceId)).planId === "free");
    const invoices = await stripe().invoices.list({ subscription: subscriptionId });
    expect(invoices.data.reduce((sum, i) => sum + i.amount_paid, 0)).toBe(0);
    expect((await getBalance(workspaceId)).allowance).toBe(100);
    await expectInvariants(workspaceId);
  });

  it("a failed renewal: past due at once, paused on day 7, restored at once by paying", async () => {
    const { workspaceId, subscriptionId, customerId } = await subscribe("pro", { card: "declines" });
    await moveClocks(new Date(APRIL_1.getTime() + 60_000));
    const pastDue = await until("past due", async () => {
      const w = await workspaceOf(workspaceId);
      return w.subscriptionStatus === "PAST_DUE" ? w : undefined;
    });
    expect(pastDue.pastDueSince).not.toBeNull();
    expect((await getBalance(workspaceId)).allowanceRemaining).toBe(5000); // a rollover while past due still grants

    await moveClocks(new Date(APRIL_1.getTime() + 7 * DAY + 120_000));
    await sweepCredits({ workspaceIds: [workspaceId] });
    expect((await workspaceOf(workspaceId)).subscriptionStatus).toBe("PAUSED");
    expect((await getBalance(workspaceId)).remainingByType).toMatchObject({ SUBSCRIPTION: 0, BONUS: 300 });

    await control("POST", `/customers/${customerId}/card`, { outcome: "succeeds" });
    const open = (await stripe().invoices.list({ subscription: subscriptionId, status: "open" })).data[0]!;
    await stripe().invoices.pay(open.id);
    await until("restored", async () => (await workspaceOf(workspaceId)).subscriptionStatus === "ACTIVE");
    expect((await getBalance(workspaceId)).remainingByType.SUBSCRIPTION).toBe(5000);
    await expectInvariants(workspaceId);
  });

  it("a failed renewal left unpaid: Free after 30 days, and the Stripe subscription is cancelled", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro", { card: "declines" });
    await moveClocks(new Date(APRIL_1.getTime() + 60_000));
    await until("past due", async () => (await workspaceOf(workspaceId)).subscriptionStatus === "PAST_DUE");
    await moveClocks(new Date(APRIL_1.getTime() + 30 * DAY + 120_000));
    await sweepCredits({ workspaceIds: [workspaceId] });
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "free", subscriptionStatus: "CANCELED" });
    expect(await cancelLapsedSubscriptions()).toBeGreaterThanOrEqual(1);
    expect((await stripe().subscriptions.retrieve(subscriptionId)).status).toBe("canceled");
    await until("subscription forgotten", async () => (await workspaceOf(workspaceId)).stripeSubscriptionId === null);
    expect((await workspaceOf(workspaceId)).subscriptionStatus).toBe("NONE");
    expect((await getBalance(workspaceId)).allowance).toBe(100);
    await expectInvariants(workspaceId);
  });
});

describe("the plan state and plan changes the Billing page offers", () => {
  it("a trial shows its end and the first charge; past the trial it is active and renews at the end of its billing period", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro", { trial: true });
    const sub = await stripe().subscriptions.retrieve(subscriptionId);
    const trialEnd = new Date(sub.trial_end! * 1000).toISOString();
    expect(await loadPlanState(workspaceId)).toMatchObject({
      kind: "trialing",
      trialEndsAt: trialEnd,
      firstCharge: { amountCents: 2900, at: trialEnd },
      subscribed: true,
      trialEligible: false,
    });
    await moveClocks(new Date(MID_MARCH.getTime() + 31 * DAY));
    await until("active after the trial", async () => (await workspaceOf(workspaceId)).subscriptionStatus === "ACTIVE");
    const state = await loadPlanState(workspaceId);
    expect(state.kind).toBe("active");
    const renewed = await stripe().subscriptions.retrieve(subscriptionId);
    expect(state).toMatchObject({
      renewsAt: new Date(renewed.items.data[0]!.current_period_end * 1000).toISOString(),
      nextCharge: { amountCents: 2900 },
    });
  });

  it("an upgrade's preview is what the confirmed change charges, to the cent, even when confirmed later", async () => {
    const { workspaceId, subscriptionId } = await subscribe("starter");
    const preview = await previewPlanChange({ workspaceId, planId: "pro", interval: "month" });
    expect(preview).toMatchObject({
      direction: "upgrade",
      effective: "now",
      creditsNow: 4000,
      trial: false,
      nextCharge: { amountCents: 2900, at: APRIL_1.toISOString() },
    });
    expect(preview.dueNowCents).toBeGreaterThan(0);
    expect(preview.dueNowCents).toBeLessThan(2900);
    expect((await workspaceOf(workspaceId)).planId).toBe("starter"); // a preview changes nothing
    await moveClocks(new Date(MID_MARCH.getTime() + 10 * 60_000)); // the customer reads for ten minutes
    const before = new Set((await stripe().invoices.list({ subscription: subscriptionId })).data.map((i) => i.id));
    await changeSubscriptionPlan({ workspaceId, planId: "pro", interval: "month", prorationDate: preview.prorationDate });
    const charged = (await stripe().invoices.list({ subscription: subscriptionId })).data.filter((i) => !before.has(i.id));
    expect(charged.map((i) => i.amount_paid)).toEqual([preview.dueNowCents]);
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "active", plan: { id: "pro" } });
    await expectInvariants(workspaceId);
  });

  it("a quote older than 30 minutes (or from the future) is refused, and nothing changes", async () => {
    const { workspaceId } = await subscribe("starter");
    const preview = await previewPlanChange({ workspaceId, planId: "pro", interval: "month" });
    await moveClocks(new Date(MID_MARCH.getTime() + 31 * 60_000));
    await expect(
      changeSubscriptionPlan({ workspaceId, planId: "pro", interval: "month", prorationDate: preview.prorationDate }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      changeSubscriptionPlan({ workspaceId, planId: "pro", interval: "month", prorationDate: preview.prorationDate + 3600 * 24 }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect((await workspaceOf(workspaceId)).planId).toBe("starter");
  });

  it("a downgrade shows its date at once and can be undone until then, without a charge", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro");
    const preview = await previewPlanChange({ workspaceId, planId: "starter", interval: "month" });
    expect(preview).toMatchObject({
      direction: "downgrade",
      effective: "period_end",
      effectiveAt: APRIL_1.toISOString(),
      dueNowCents: 0,
      creditsNow: 0,
      nextCharge: { amountCents: 999 },
    });
    await changeSubscriptionPlan({ workspaceId, planId: "starter", interval: "month", prorationDate: preview.prorationDate });
    expect(await loadPlanState(workspaceId)).toMatchObject({
      kind: "scheduled",
      to: { id: "starter", priceCents: 999 },
      at: APRIL_1.toISOString(),
    });
    const invoicesBefore = (await stripe().invoices.list({ subscription: subscriptionId })).data.length;

    await undoScheduledChange(workspaceId);
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "active", plan: { id: "pro" } });
    const sub = await stripe().subscriptions.retrieve(subscriptionId);
    expect(sub.items.data[0]!.price.unit_amount).toBe(2900);
    expect((await stripe().invoices.list({ subscription: subscriptionId })).data.length).toBe(invoicesBefore);
    await expect(undoScheduledChange(workspaceId)).rejects.toMatchObject({ code: "conflict" });

    // At the 1st it stays on Pro, billed $29.
    await moveClocks(new Date(APRIL_1.getTime() + 60_000));
    await until("renewed", async () => (await stripe().invoices.list({ subscription: subscriptionId })).data.length > invoicesBefore);
    expect((await workspaceOf(workspaceId)).planId).toBe("pro");
    expect((await stripe().invoices.list({ subscription: subscriptionId, limit: 1 })).data[0]!.amount_due).toBe(2900);
  });

  it("a cancellation (from Manage billing) shows its end date and can be undone", async () => {
    const { workspaceId, subscriptionId } = await subscribe("pro");
    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await until("cancellation scheduled", async () => (await workspaceOf(workspaceId)).pendingPlanId === "free");
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "cancelling", endsAt: APRIL_1.toISOString(), trial: false });
    await undoScheduledChange(workspaceId);
    expect((await stripe().subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(false);
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "active", plan: { id: "pro" } });
  });

  it("back from the Billing Portal, the page converges to the change made there without waiting for its webhook", async () => {
    const { workspaceId, subscriptionId, customerId } = await subscribe("pro");
    await webhooksDelivered(customerId);
    // Its webhook is late (here: lost).
    await control("POST", "/webhooks/drop", { count: 1, type: "customer.subscription.updated" });
    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true }); // "Cancel plan" in the portal
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "active" });
    await syncAfterPortal(workspaceId);
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "cancelling", endsAt: APRIL_1.toISOString() });
  });

  it("a slow read of the subscription never undoes a newer change: one convergence per subscription at a time", async () => {
    const { workspaceId, subscriptionId, customerId } = await subscribe("pro");
    await webhooksDelivered(customerId);
    await control("POST", "/faults", { method: "GET", path: `/v1/subscriptions/${subscriptionId}`, delay_ms: 1500 });
    const slow = syncSubscription(subscriptionId); // reads "renews", answered late
    await until("the slow read has reached Stripe", async () => (await control<{ data: unknown[] }>("GET", "/faults")).data.length === 0);
    // The customer cancels meanwhile; its webhook (and this direct sync) read the newer subscription.
    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    const fresh = syncSubscription(subscriptionId);
    const [older, newer] = await Promise.all([slow, fresh]);
    expect([older.cancel_at_period_end, newer.cancel_at_period_end]).toEqual([false, true]);
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "pro", pendingPlanId: "free" });
    expect(await loadPlanState(workspaceId)).toMatchObject({ kind: "cancelling" });
  });

  it("back from Checkout: the session is settled for its own workspace only, and a bogus id says nothing", async () => {
    await moveClocks(MID_MARCH);
    const account = await newAccount("return");
    const other = await newAccount("return-other");
    const session = await createPlanCheckout({ workspaceId: account.workspaceId, email: account.email, planId: "pro", interval: "month" });
    expect(await settleCheckoutReturn(session.id, account.workspaceId)).toEqual({ state: "confirming" }); // not paid yet
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    expect(await settleCheckoutReturn(session.id, other.workspaceId)).toEqual({ state: "unknown" });
    expect(await settleCheckoutReturn("cs_does_not_exist", account.workspaceId)).toEqual({ state: "unknown" });
    expect(await settleCheckoutReturn("../../v1/customers", account.workspaceId)).toEqual({ state: "unknown" });
    expect(await settleCheckoutReturn(session.id, account.workspaceId)).toEqual({
      state: "done",
      kind: "plan",
      planName: "Pro",
      trial: true,
      amountCents: 0,
    });
    expect(await loadPlanState(account.workspaceId)).toMatchObject({ kind: "trialing" });
    expect((await workspaceOf(other.workspaceId)).planId).toBe("free");
  });
});
