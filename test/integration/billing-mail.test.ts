import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { appUrl, env } from "@/lib/env";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { debit, getBalance } from "@/lib/credits";
import { formatUtc } from "@/lib/format";
import { updateAlertSettings } from "@/lib/alerts/settings";
import { detectUsageAlerts, withUsageAlerts } from "@/lib/alerts/usage-alerts";
import { stripe } from "@/lib/billing/stripe/client";
import { changeSubscriptionPlan, createPlanCheckout } from "@/lib/billing/stripe/subscriptions";
import { createCardSetupSession, processAutoTopUps, syncCardSetup, updateAutoTopUp } from "@/lib/billing/stripe/auto-top-up";
import { onInvoicePaymentFailed } from "@/lib/billing/stripe/handlers/invoice-payment-failed";
import { onCustomerSubscriptionTrialWillEnd } from "@/lib/billing/stripe/handlers/customer-subscription-trial-will-end";
import { onCustomerSubscriptionUpdated } from "@/lib/billing/stripe/handlers/customer-subscription-updated";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { POST as oneClickUnsubscribe } from "@/app/api/mail/unsubscribe/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { newAccount, workspaceWith } from "./helpers";

// Billing mail end to end on real parts: the alert detector, the official SDK against the emulator (its
// clock, its signed webhooks delivered over HTTP to the webhook route), the auto top-up job, and the
// outbox in PostgreSQL. "Once" is checked against the outbox: every test counts rows per recipient.
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) =>
  emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);
const DAY = 86_400_000;
const MID_MARCH = new Date("2031-03-15T12:00:00Z");
const APRIL_1 = new Date("2031-04-01T00:00:00Z");
const BILLING_URL = appUrl("/settings/billing");
const topUpAction = `billingmail.${randomUUID().slice(0, 8)}`; // 1 credit, our own price row

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
  await db.actionPrice.create({
    data: {
      actionKey: topUpAction,
      version: 1,
      name: "Billing mail test action",
      category: "OTHER",
      credits: 1,
      effectiveFrom: new Date(0),
      reason: "test",
    },
  });
});
afterAll(() => receiver.close());
afterEach(() => {
  testClock.reset();
});

const mailsTo = (email: string, kind?: string) =>
  db.mailMessage.findMany({ where: { to: email, ...(kind ? { kind } : {}) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const until = <T>(what: string, probe: () => Promise<T | undefined | null | false>) => waitFor(probe, what);

/** A workspace's owner, a second owner and a member (who reads usage and gets no billing mail). */
async function team(tag: string, credits?: number) {
  const owner = credits === undefined ? await newAccount(tag) : await workspaceWith(credits, tag);
  const coOwner = await newAccount(`${tag}-co`);
  const member = await newAccount(`${tag}-member`);
  await db.membership.createMany({
    data: [
      { workspaceId: owner.workspaceId, userId: coOwner.userId, role: "OWNER" },
      { workspaceId: owner.workspaceId, userId: member.userId, role: "MEMBER" },
    ],
  });
  return { ...owner, coOwner, member };
}

/** Every event of this file's Stripe account has been processed by the webhook (none in flight). */
async function webhooksSettled() {
  await until("every Stripe event processed", async () => {
    const events = await stripe().events.list({ limit: 100 });
    const processed = await db.stripeEvent.count({ where: { id: { in: events.data.map((e) => e.id) }, processedAt: { not: null } } });
    return processed === events.data.length;
  });
}

async function moveClocks(to: Date) {
  testClock.set(to);
  await control("POST", "/clock", { now: Math.floor(to.getTime() / 1000) });
}

const workspaceOf = (id: string) => db.workspace.findUniqueOrThrow({ where: { id } });

async function subscribe(planId: string, options: { trial?: boolean; card?: "declines" } = {}) {
  await moveClocks(MID_MARCH);
  const account = await team(`mail-${planId}`);
  if (!options.trial) await db.workspace.update({ where: { id: account.workspaceId }, data: { trialUsedAt: new Date("2030-01-01") } });
  const session = await createPlanCheckout({ workspaceId: account.workspaceId, email: account.email, planId, interval: "month" });
  await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
  const workspace = await until(`${planId} subscription`, async () => {
    const w = await workspaceOf(account.workspaceId);
    return w.planId === planId && w.stripeSubscriptionId ? w : undefined;
  });
  if (options.card) await control("POST", `/customers/${workspace.stripeCustomerId}/card`, { outcome: "declines" });
  await webhooksSettled();
  return { ...account, subscriptionId: workspace.stripeSubscriptionId!, customerId: workspace.stripeCustomerId! };
}

async function eventsOf(type: string, objectId: string): Promise<Stripe.Event[]> {
  const list = await stripe().events.list({ type, limit: 100 });
  return list.data.filter((e) => (e.data.object as { id?: string }).id === objectId);
}

describe("usage mail", () => {
  it("20 detectors racing over an 80 % crossing mail each owner once per threshold, and members nothing", async () => {
    const { workspaceId, email, coOwner, member } = await team("usage-race");
    await updateAlertSettings(workspaceId, { thresholds: ["50", "80", "100"], none: false, webhookUrl: "" });
    expect((await debit({ workspaceId, actionKey: "video.generate", quantity: 4 })).outcome).toBe("charged"); // 80 of Free's 100
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? detectUsageAlerts(workspaceId) : getBalance(workspaceId).then(withUsageAlerts))),
    );

    for (const to of [email, coOwner.email]) {
      const mails = await mailsTo(to, "usage_threshold");
      expect(mails.map((m) => /(\d+)% of your Free credits used/.exec(m.subject)?.[1]).sort()).toEqual(["50", "80"]);
    }
    expect((await mailsTo(member.email)).filter((m) => m.kind !== "verify_email")).toEqual([]);

    const alert80 = await db.usageAlert.findFirstOrThrow({ where: { workspaceId, threshold: 80 } });
    const [mail] = (await mailsTo(email, "usage_threshold")).filter((m) => m.subject.includes("80%"));
    expect(mail!.text).toContain("80% of its Free allowance this period (80 of 100 credits)");
    expect(mail!.text).toContain(`The allowance resets on ${formatUtc(alert80.periodEnd!.toISOString())}.`);
    expect(mail!.text).toContain("upgrade to Starter");
    expect(mail!.text).toContain(BILLING_URL);
    expect(mail!.html).toContain(`href="${BILLING_URL}"`);
    expect(mail!.text).toMatch(/Unsubscribe here:\n\S+\/mail\/unsubscribe\?u=/);
    expect(mail!.dedupeKey).toMatch(new RegExp(`^usage_alert:${alert80.id}:`));

    // Detecting again (the sweep, the next balance read) records nothing and mails nothing.
    await detectUsageAlerts(workspaceId);
    expect(await mailsTo(email, "usage_threshold")).toHaveLength(2);
  });

  it("running out is the out-of-credits mail; an owner who unsubscribed through the link gets no usage mail, a forged link changes nothing", async () => {
    const { workspaceId, email, coOwner } = await team("usage-out", 100); // Free, no bonus: 100 spendable
    expect((await debit({ workspaceId, actionKey: "video.generate", quantity: 4 })).outcome).toBe("charged");
    await detectUsageAlerts(workspaceId);
    const [first] = await mailsTo(coOwner.email, "usage_threshold");
    const page = new URL(/\S+\/mail\/unsubscribe\?\S+/.exec(first!.text)![0]);
    const [userId, token] = [page.searchParams.get("u")!, page.searchParams.get("t")!];
    expect(userId).toBe(coOwner.userId);

    const forged = await oneClickUnsubscribe(
      new Request(appUrl(`/api/mail/unsubscribe?u=${coOwner.userId}&t=${token.slice(1)}x`), { method: "POST" }),
    );
    expect(forged.status).toBe(400);
    const otherUser = await oneClickUnsubscribe(new Request(appUrl(`/api/mail/unsubscribe?u=${email}&t=${token}`), { method: "POST" }));
    expect(otherUser.status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { id: coOwner.userId } })).usageMailOptOutAt).toBeNull();
    const res = await oneClickUnsubscribe(
      new Request(appUrl(`/api/mail/unsubscribe?u=${userId}&t=${token}`), { method: "POST", body: "List-Unsubscribe=One-Click" }),
    );
    expect(res.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: coOwner.userId } })).usageMailOptOutAt).not.toBeNull();

    expect((await debit({ workspaceId, actionKey: "video.generate", quantity: 1 })).outcome).toBe("charged"); // the last 20
    expect((await getBalance(workspaceId)).remaining).toBe(0);
    await detectUsageAlerts(workspaceId);
    const [out] = await mailsTo(email, "credits_exhausted");
    expect(out!.subject).toMatch(/is out of credits$/);
    expect(out!.text).toContain("100 of its 100 Free credits are used");
    expect(out!.text).toContain(BILLING_URL);
    expect(await mailsTo(email, "credits_exhausted")).toHaveLength(1);
    expect(await mailsTo(coOwner.email, "credits_exhausted")).toHaveLength(0);
  });
});

describe("subscription mail", () => {
  it("a failed renewal mails the owners once, with the amount, the pause date and the date it returns to Free — however often it is retried or redelivered", async () => {
    const { workspaceId, subscriptionId, email, coOwner, member } = await subscribe("pro", { card: "declines" });
    await moveClocks(new Date(APRIL_1.getTime() + 60_000));
    const mail = await until("the payment-failed mail", async () => (await mailsTo(email, "payment_failed"))[0]);
    const workspace = await workspaceOf(workspaceId);
    expect(workspace.subscriptionStatus).toBe("PAST_DUE");
    const since = workspace.pastDueSince!;
    expect(mail.subject).toBe("Payment failed: $29.00 for Pro");
    expect(mail.text).toContain("We could not collect $29.00 for the Pro plan");
    expect(mail.text).toContain(`still unpaid on ${formatUtc(new Date(since.getTime() + 7 * DAY).toISOString())}, the workspace is paused`);
    expect(mail.text).toContain(
      `still unpaid on ${formatUtc(new Date(since.getTime() + 30 * DAY).toISOString())}, the workspace returns to the Free plan`,
    );
    expect(mail.text).toContain(BILLING_URL);
    expect(mail.text).not.toMatch(/unsubscribe/i);
    await until("the co-owner's mail", async () => (await mailsTo(coOwner.email, "payment_failed")).length === 1);

    // Stripe retries the card (more invoice.payment_failed events for the same invoice) ...
    await moveClocks(new Date(APRIL_1.getTime() + 6 * DAY));
    const invoiceId = (await stripe().invoices.list({ subscription: subscriptionId, status: "open" })).data[0]!.id!;
    await until("a retry failed too", async () => (await eventsOf("invoice.payment_failed", invoiceId)).length >= 2);
    await webhooksSettled();
    // ... and every one of them is delivered again, five at once.
    const events = await eventsOf("invoice.payment_failed", invoiceId);
    await Promise.all(events.flatMap((e) => Array.from({ length: 5 }, () => onInvoicePaymentFailed(e))));
    expect(await mailsTo(email, "payment_failed")).toHaveLength(1);
    expect(await mailsTo(coOwner.email, "payment_failed")).toHaveLength(1);
    expect(await mailsTo(member.email, "payment_failed")).toHaveLength(0);
  });

  it("trial_will_end comes from the emulator's clock 3 days before the trial ends, and mails the date and the price once", async () => {
    const { workspaceId, subscriptionId, email } = await subscribe("pro", { trial: true });
    const sub = await stripe().subscriptions.retrieve(subscriptionId);
    const trialEnd = new Date(sub.trial_end! * 1000);
    // The upgrade mail of the new subscription says it is a trial.
    const [upgrade] = await mailsTo(email, "plan_changed");
    expect(upgrade!.subject).toBe(`${(await workspaceOf(workspaceId)).name} is now on Pro`);
    expect(upgrade!.text).toContain(`free trial until ${formatUtc(trialEnd.toISOString())}`);

    await moveClocks(new Date(trialEnd.getTime() - 3 * DAY - 3_600_000)); // an hour early: nothing yet
    expect(await eventsOf("customer.subscription.trial_will_end", subscriptionId)).toEqual([]);
    await moveClocks(new Date(trialEnd.getTime() - 3 * DAY + 60_000));
    const mail = await until("the trial mail", async () => (await mailsTo(email, "trial_ending"))[0]);
    const [event] = await eventsOf("customer.subscription.trial_will_end", subscriptionId);
    expect(event!.created).toBe(sub.trial_end! - 3 * 86_400);
    expect(mail.subject).toBe(`Your Pro trial ends on ${formatUtc(trialEnd.toISOString())}`);
    expect(mail.text).toContain("your card is charged $29.00 per month");
    expect(mail.text).toContain(BILLING_URL);

    await webhooksSettled();
    await Promise.all(Array.from({ length: 5 }, () => onCustomerSubscriptionTrialWillEnd(event!)));
    await moveClocks(new Date(trialEnd.getTime() - DAY));
    expect(await eventsOf("customer.subscription.trial_will_end", subscriptionId)).toHaveLength(1);
    expect(await mailsTo(email, "trial_ending")).toHaveLength(1);
  });

  it("plan changes: an upgrade now, a downgrade with its date, a cancellation with its date — each mailed once though the app and the webhook both converge", async () => {
    const { workspaceId, subscriptionId, email, coOwner } = await subscribe("starter");
    const planMails = async (to = email) => (await mailsTo(to, "plan_changed")).map((m) => m.subject);
    const name = (await workspaceOf(workspaceId)).name;
    expect(await planMails()).toEqual([`${name} is now on Starter`]);

    await changeSubscriptionPlan({ workspaceId, planId: "pro", interval: "month" });
    await webhooksSettled();
    expect(await planMails()).toEqual([`${name} is now on Starter`, `${name} is now on Pro`]);
    const [, upgrade] = await mailsTo(email, "plan_changed");
    expect(upgrade!.text).toContain("moved from Starter to Pro, effective now: 5,000 credits a month");

    await changeSubscriptionPlan({ workspaceId, planId: "starter", interval: "month" });
    await webhooksSettled();
    const april = formatUtc(APRIL_1.toISOString());
    expect((await planMails()).slice(2)).toEqual([`${name} moves to Starter on ${april}`]);

    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await until("cancellation scheduled", async () => (await workspaceOf(workspaceId)).pendingPlanId === "free");
    await webhooksSettled();
    expect((await planMails()).slice(3)).toEqual([`${name}: Pro ends on ${april}`]);
    const cancel = (await mailsTo(email, "plan_changed"))[3]!;
    expect(cancel.text).toContain(`It ends on ${april}, and the workspace returns to the Free plan then.`);

    // Every subscription update delivered again, five times each, at once: nothing new.
    const updates = (await stripe().events.list({ type: "customer.subscription.updated", limit: 100 })).data.filter(
      (e) => (e.data.object as Stripe.Subscription).id === subscriptionId,
    );
    await Promise.all(updates.flatMap((e) => Array.from({ length: 5 }, () => onCustomerSubscriptionUpdated(e))));
    expect(await planMails()).toHaveLength(4);
    expect(await planMails(coOwner.email)).toHaveLength(4);
  });
});

describe("auto top-up mail", () => {
  it("a declined top-up mails the owners once, though the job and payment_intent.payment_failed both settle it", async () => {
    const account = await workspaceWith(110, "mail-topup");
    const session = await createCardSetupSession({ workspaceId: account.workspaceId, email: account.email });
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded", payment_method: "pm_card_chargeCustomerFail" });
    await syncCardSetup(session.id, account.workspaceId);
    await updateAutoTopUp(account.workspaceId, account.userId, {
      enabled: true,
      threshold_credits: 100,
      pack_id: "starter_1000",
      monthly_cap: 3,
      cooldown_minutes: 10,
    });
    expect((await debit({ workspaceId: account.workspaceId, actionKey: topUpAction, quantity: 20 })).outcome).toBe("charged");
    await Promise.all([
      processAutoTopUps({ workspaceIds: [account.workspaceId] }),
      processAutoTopUps({ workspaceIds: [account.workspaceId] }),
    ]);
    const attempt = await db.autoTopUpAttempt.findFirstOrThrow({ where: { workspaceId: account.workspaceId } });
    expect(attempt.status).toBe("DECLINED");
    await until("payment_failed processed", async () => {
      const [event] = await eventsOf("payment_intent.payment_failed", attempt.paymentIntentId!);
      return event ? db.stripeEvent.findFirst({ where: { id: event.id, processedAt: { not: null } } }) : undefined;
    });
    const mails = await mailsTo(account.email, "auto_top_up_failed");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^Auto top-up failed for /);
    expect(mails[0]!.text).toContain("fell to 90 credits");
    expect(mails[0]!.text).toContain("(1,000 credits, $10.00)");
    expect(mails[0]!.text).toContain("was declined: Your card was declined. (generic_decline)");
    expect(mails[0]!.text).toContain("Auto top-up is now switched off");
    expect(mails[0]!.text).toContain(BILLING_URL);
  });
});
