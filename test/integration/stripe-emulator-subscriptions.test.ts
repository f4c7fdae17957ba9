import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "../../scripts/stripe-emulator/index.ts";
import { serveRoute, waitFor } from "./stripe-support";

// Subscriptions in the local Stripe emulator, driven through the official SDK as the app drives them.
// Every test is its own Stripe account (secret key) with its own clock, so tests can move time freely.

let emulator: StripeEmulator;

const DAY = 86_400;
const at = (iso: string) => Date.parse(iso) / 1000;
const NOV_15_NOON = at("2026-11-15T12:00:00Z");
const DEC_1 = at("2026-12-01T00:00:00Z");
const DEC_16 = at("2026-12-16T00:00:00Z");
const JAN_1 = at("2027-01-01T00:00:00Z");
const FEB_1 = at("2027-02-01T00:00:00Z");

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0, retryBaseMs: 20, quiet: true });
});

afterAll(async () => {
  await emulator.close();
});

type Reply<T> = { status: number; body: T };

/** A fresh Stripe account: the SDK, the /_emulator controls and the account's clock. */
function newAccount() {
  const key = `sk_test_${randomUUID().replace(/-/g, "")}`;
  const stripe = new Stripe(key, { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
  async function control<T = Record<string, unknown>>(method: "GET" | "POST", path: string, body?: object): Promise<Reply<T>> {
    const res = await fetch(`${emulator.url}/_emulator${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  async function setClock(unix: number) {
    const moved = await control<{ now: number }>("POST", "/clock", { now: unix });
    expect(moved.status).toBe(200);
  }
  return { key, stripe, control, setClock };
}
type Account = ReturnType<typeof newAccount>;

/** A monthly (or yearly) plan price, created as the app creates it. */
function planPrice(stripe: Stripe, name: string, cents: number, interval: "month" | "year" = "month") {
  return stripe.prices.create({
    currency: "usd",
    unit_amount: cents,
    recurring: { interval },
    product_data: { name },
    lookup_key: `${name.toLowerCase()}_${interval}_${cents}_${randomUUID()}`,
    metadata: { plan_id: name.toLowerCase(), interval },
  });
}

/** A subscription Checkout Session for a new customer, as the app creates one. */
async function subscriptionSession(account: Account, price: Stripe.Price, data: Stripe.Checkout.SessionCreateParams.SubscriptionData = {}) {
  const customer = await account.stripe.customers.create({ email: `${randomUUID()}@example.test`, name: "Sub Scriber" });
  const metadata = { workspace_id: "ws_1", plan_id: price.metadata.plan_id!, interval: price.recurring!.interval };
  const session = await account.stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: price.id, quantity: 1 }],
    subscription_data: { metadata, ...data },
    metadata,
    success_url: "http://app.test/settings/billing?checkout=success",
    cancel_url: "http://app.test/settings/billing?checkout=cancelled",
  });
  return { customer, session };
}

/** Pays a session through the control endpoint; returns the subscription it started. */
async function subscribe(
  account: Account,
  price: Stripe.Price,
  data: Stripe.Checkout.SessionCreateParams.SubscriptionData = {},
  paymentMethod?: string,
) {
  const { customer, session } = await subscriptionSession(account, price, data);
  const paid = await account.control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, {
    outcome: "succeeded",
    payment_method: paymentMethod,
  });
  expect(paid.status).toBe(200);
  const subscription = await account.stripe.subscriptions.retrieve(paid.body.subscription as string);
  return { customer, session: paid.body, subscription };
}

/** The account's events of these types, oldest first. */
async function eventsOf(stripe: Stripe, types: string[]): Promise<Stripe.Event[]> {
  return (await stripe.events.list({ types, limit: 100 })).data.reverse();
}

async function expectStripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
}

const item = (sub: Stripe.Subscription) => sub.items.data[0]!;

/** The required and nullable properties of Stripe's 2026 invoice schema. */
const INVOICE_KEYS = [
  "amount_due",
  "amount_overpaid",
  "amount_paid",
  "amount_paid_off_stripe",
  "amount_remaining",
  "amount_shipping",
  "attempt_count",
  "attempted",
  "auto_advance",
  "automatic_tax",
  "collection_method",
  "created",
  "currency",
  "customer",
  "default_tax_rates",
  "discounts",
  "id",
  "issuer",
  "lines",
  "livemode",
  "object",
  "payment_settings",
  "period_end",
  "period_start",
  "post_payment_credit_notes_amount",
  "pre_payment_credit_notes_amount",
  "starting_balance",
  "status_transitions",
  "subtotal",
  "total",
  "account_country",
  "account_name",
  "account_tax_ids",
  "application",
  "automatically_finalizes_at",
  "billing_reason",
  "confirmation_secret",
  "custom_fields",
  "customer_account",
  "customer_address",
  "customer_email",
  "customer_name",
  "customer_phone",
  "customer_shipping",
  "customer_tax_exempt",
  "customer_tax_ids",
  "default_payment_method",
  "default_source",
  "description",
  "due_date",
  "effective_at",
  "ending_balance",
  "footer",
  "from_invoice",
  "hosted_invoice_url",
  "invoice_pdf",
  "last_finalization_error",
  "latest_revision",
  "metadata",
  "next_payment_attempt",
  "number",
  "on_behalf_of",
  "parent",
  "receipt_number",
  "rendering",
  "shipping_cost",
  "shipping_details",
  "statement_descriptor",
  "status",
  "subtotal_excluding_tax",
  "test_clock",
  "total_discount_amounts",
  "total_excluding_tax",
  "total_pretax_credit_amounts",
  "total_taxes",
  "webhooks_delivered_at",
];
const invoicesOf = async (stripe: Stripe, subscription: string) => (await stripe.invoices.list({ subscription, limit: 100 })).data;

/** Posts a hosted page's form: the fields of the form holding the button `action=value`, plus `extra`. */
async function submitForm(pageUrl: string, html: string, action: string, extra: Record<string, string> = {}) {
  const form = [...html.matchAll(/<form method="post"[^>]*>([\s\S]*?)<\/form>/g)]
    .map((m) => m[1]!)
    .find((f) => f.includes(`name="action" value="${action}"`));
  expect(form, `a form with the ${action} button`).toBeDefined();
  const fields = Object.fromEntries(
    [...form!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
  );
  return fetch(pageUrl, { method: "POST", redirect: "manual", body: new URLSearchParams({ ...fields, ...extra, action }) });
}

describe("Stripe emulator: subscription Checkout", () => {
  it("anchors on the next 1st: a prorated first invoice paid at once, in Stripe's event order", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { customer, session } = await subscriptionSession(account, pro, {
      billing_cycle_anchor: DEC_1,
      proration_behavior: "create_prorations",
    });
    // 16.5 days of November's 30 at $29.00, due today
    const prorated = Math.round((2900 * (DEC_1 - NOV_15_NOON)) / (30 * DAY));
    expect(prorated).toBe(1498);
    expect(session).toMatchObject({ mode: "subscription", amount_total: prorated, subscription: null, invoice: null });

    const page = await (await fetch(session.url!)).text();
    expect(page).toContain("Pro — $29.00 / month");
    expect(page).toContain("Prorated today: $14.98, then $29.00 on Dec 1");
    expect(page).toMatch(/<button class="primary" type="submit" name="action" value="pay">Subscribe<\/button>/);

    const paid = await account.control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    expect(paid.body).toMatchObject({
      status: "complete",
      payment_status: "paid",
      customer: customer.id,
      amount_total: prorated,
      payment_intent: null,
    });
    const sub = await account.stripe.subscriptions.retrieve(paid.body.subscription as string, { expand: ["latest_invoice"] });
    expect(sub).toMatchObject({
      object: "subscription",
      status: "active",
      customer: customer.id,
      billing_cycle_anchor: DEC_1,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      trial_start: null,
      trial_end: null,
      metadata: { workspace_id: "ws_1", plan_id: "pro", interval: "month" },
    });
    expect(item(sub)).toMatchObject({
      object: "subscription_item",
      price: { id: pro.id, unit_amount: 2900 },
      quantity: 1,
      current_period_end: DEC_1,
      subscription: sub.id,
    });
    expect(item(sub).current_period_start - NOV_15_NOON).toBeGreaterThanOrEqual(0);
    expect(item(sub).current_period_start - NOV_15_NOON).toBeLessThan(5);

    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice.id).toBe(paid.body.invoice);
    expect(invoice).toMatchObject({
      object: "invoice",
      status: "paid",
      billing_reason: "subscription_create",
      amount_due: prorated,
      amount_paid: prorated,
      amount_remaining: 0,
      attempt_count: 1,
      attempted: true,
      next_payment_attempt: null,
      customer: customer.id,
      parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: { workspace_id: "ws_1" } } },
      hosted_invoice_url: `${emulator.url}/i/${invoice.id}`,
    });
    expect(invoice.number).toMatch(/^[A-Z0-9]{8}-0001$/);
    expect(invoice.status_transitions.paid_at! - invoice.created).toBeLessThan(2);
    expect(invoice.lines.data).toHaveLength(1);
    expect(invoice.lines.data[0]).toMatchObject({
      amount: prorated,
      description: "Remaining time on Pro after 15 Nov 2026",
      period: { end: DEC_1 },
      parent: { type: "subscription_item_details", subscription_item_details: { proration: true, subscription_item: item(sub).id } },
      pricing: { price_details: { price: pro.id, product: pro.product } },
    });

    // paid with a card that is now the customer's default payment method, through a payment intent
    const payer = (await account.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    const pm = await account.stripe.paymentMethods.retrieve(payer.invoice_settings.default_payment_method as string);
    expect(pm).toMatchObject({ object: "payment_method", type: "card", customer: customer.id, card: { brand: "visa", last4: "4242" } });
    const withPayments = await account.stripe.invoices.retrieve(invoice.id, { expand: ["payments"] });
    const intent = await account.stripe.paymentIntents.retrieve(withPayments.payments!.data[0]!.payment.payment_intent as string, {
      expand: ["latest_charge"],
    });
    expect(intent).toMatchObject({ status: "succeeded", amount: prorated, customer: customer.id });
    expect(intent.latest_charge).toMatchObject({ status: "succeeded", payment_method: pm.id });

    const order = [
      "customer.subscription.created",
      "invoice.created",
      "invoice.finalized",
      "charge.succeeded",
      "invoice.paid",
      "invoice.payment_succeeded",
      "checkout.session.completed",
    ];
    const events = await eventsOf(account.stripe, order);
    expect(events.map((e) => e.type)).toEqual(order);
    expect(events.map((e) => (e.data.object as { status: string }).status)).toEqual([
      "active",
      "draft",
      "open",
      "succeeded",
      "paid",
      "paid",
      "complete",
    ]);
  });

  it("starts a 30-day trial with a $0 invoice, then bills the first month when the clock passes the trial's end", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { session } = await subscriptionSession(account, pro, { trial_period_days: 30 });
    expect(session.amount_total).toBe(0);
    const page = await (await fetch(session.url!)).text();
    expect(page).toContain("30-day free trial, then $29.00 / month");
    expect(page).toMatch(/name="action" value="pay">Start trial<\/button>/);

    const { session: paid, subscription: sub } = await subscribe(account, pro, { trial_period_days: 30 });
    expect(paid).toMatchObject({ status: "complete", payment_status: "no_payment_required", amount_total: 0 });
    expect(sub.status).toBe("trialing");
    expect(sub.trial_end! - sub.trial_start!).toBe(30 * DAY);
    expect(sub.billing_cycle_anchor).toBe(sub.trial_end);
    expect(item(sub).current_period_end).toBe(sub.trial_end);
    const [trialInvoice] = await invoicesOf(account.stripe, sub.id);
    expect(trialInvoice).toMatchObject({ status: "paid", amount_due: 0, amount_paid: 0, total: 0, billing_reason: "subscription_create" });
    expect(trialInvoice!.lines.data[0]).toMatchObject({ amount: 0, description: "Trial period for Pro" });
    expect(
      (await account.stripe.subscriptions.list({ customer: sub.customer as string, status: "trialing" })).data.map((s) => s.id),
    ).toEqual([sub.id]);

    await account.setClock(sub.trial_end! + DAY);
    const active = await account.stripe.subscriptions.retrieve(sub.id, { expand: ["latest_invoice"] });
    expect(active.status).toBe("active");
    expect(item(active)).toMatchObject({ current_period_start: sub.trial_end, current_period_end: sub.trial_end! + 31 * DAY }); // Dec 15 → Jan 15
    expect(active.latest_invoice).toMatchObject({
      status: "paid",
      amount_paid: 2900,
      billing_reason: "subscription_cycle",
      created: sub.trial_end,
    });
    const [notice] = await eventsOf(account.stripe, ["customer.subscription.trial_will_end"]);
    expect(notice!.created).toBe(sub.trial_end! - 3 * DAY);
    const updated = (await eventsOf(account.stripe, ["customer.subscription.updated"])).find(
      (e) => (e.data.previous_attributes as Partial<Stripe.Subscription>)?.status === "trialing",
    );
    expect(updated).toMatchObject({ created: sub.trial_end, data: { object: { status: "active" } } });
  });

  it("refuses billing_cycle_anchor together with a trial, and an anchor in the past, as Stripe does", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const both = await expectStripeError(subscriptionSession(account, pro, { trial_period_days: 30, billing_cycle_anchor: DEC_1 }));
    expect(both).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(both).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", param: "subscription_data[billing_cycle_anchor]" });
    const past = await expectStripeError(subscriptionSession(account, pro, { billing_cycle_anchor: NOV_15_NOON - DAY }));
    expect(past).toMatchObject({ statusCode: 400, param: "subscription_data[billing_cycle_anchor]" });
    expect((await account.stripe.subscriptions.list()).data).toEqual([]);
  });
});

describe("Stripe emulator: renewals and changes", () => {
  it("renews on each 1st, boundary by boundary, when the clock jumps past several", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { subscription: sub } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    const since = (await account.stripe.events.list({ limit: 1 })).data[0]!.created;

    await account.setClock(JAN_1 + 10 * DAY); // passes Dec 1 and Jan 1
    const renewed = await account.stripe.subscriptions.retrieve(sub.id);
    expect(renewed.status).toBe("active");
    expect(item(renewed)).toMatchObject({ current_period_start: JAN_1, current_period_end: FEB_1 });
    const [january, december] = await invoicesOf(account.stripe, sub.id);
    for (const [invoice, start, end] of [
      [december!, DEC_1, JAN_1],
      [january!, JAN_1, FEB_1],
    ] as const) {
      expect(invoice).toMatchObject({ status: "paid", billing_reason: "subscription_cycle", amount_paid: 2900, created: start });
      expect(invoice.lines.data[0]).toMatchObject({ amount: 2900, description: "1 × Pro (at $29.00 / month)", period: { start, end } });
      expect(invoice.lines.data[0]!.parent?.subscription_item_details?.proration).toBe(false);
    }
    expect(january!.number).toMatch(/-0003$/);

    const types = ["customer.subscription.updated", "invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded"];
    const events = (await eventsOf(account.stripe, types)).filter((e) => e.created > since);
    expect(events.map((e) => [e.type, e.created])).toEqual([...types.map((t) => [t, DEC_1]), ...types.map((t) => [t, JAN_1])]);
    expect(Object.keys(events[0]!.data.previous_attributes!)).toEqual(["items", "latest_invoice"]);
  });

  it("changes the price: always_invoice bills the proration at once, none bills nothing, create_prorations waits for the renewal", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const [pro, business, team] = await Promise.all([
      planPrice(account.stripe, "Pro", 2900),
      planPrice(account.stripe, "Business", 9900),
      planPrice(account.stripe, "Team", 4900),
    ]);
    const { subscription: sub } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    await account.setClock(DEC_16); // renewed Dec 1; 16 of December's 31 days left

    const upgraded = await account.stripe.subscriptions.update(sub.id, {
      items: [{ id: item(sub).id, price: business.id }],
      proration_behavior: "always_invoice",
      metadata: { plan_id: "business" },
    });
    expect(item(upgraded).price.id).toBe(business.id);
    expect(item(upgraded)).toMatchObject({ current_period_start: DEC_1, current_period_end: JAN_1 });
    const credit = Math.round((2900 * 16) / 31);
    const charge = Math.round((9900 * 16) / 31);
    const invoice = await account.stripe.invoices.retrieve(upgraded.latest_invoice as string);
    expect(invoice).toMatchObject({
      billing_reason: "subscription_update",
      status: "paid",
      total: charge - credit,
      amount_paid: charge - credit,
    });
    expect(invoice.lines.data.map((l) => [l.description, l.amount, l.parent?.subscription_item_details?.proration])).toEqual([
      ["Unused time on Pro after 16 Dec 2026", -credit, true],
      ["Remaining time on Business after 16 Dec 2026", charge, true],
    ]);
    const [updated] = (await eventsOf(account.stripe, ["customer.subscription.updated"])).slice(-1);
    expect(updated!.data.previous_attributes).toMatchObject({
      metadata: { plan_id: "pro" },
      latest_invoice: expect.stringMatching(/^in_/),
    });
    expect((updated!.data.previous_attributes as Partial<Stripe.Subscription>).items?.data[0]?.price.id).toBe(pro.id);

    const count = (await invoicesOf(account.stripe, sub.id)).length;
    const downgraded = await account.stripe.subscriptions.update(sub.id, {
      items: [{ id: item(sub).id, price: team.id }],
      proration_behavior: "none",
    });
    expect(item(downgraded).price.id).toBe(team.id);
    expect(downgraded.latest_invoice).toBe(invoice.id);
    expect(await invoicesOf(account.stripe, sub.id)).toHaveLength(count);

    await account.stripe.subscriptions.update(sub.id, {
      items: [{ id: item(sub).id, price: pro.id }],
      proration_behavior: "create_prorations",
    });
    expect(await invoicesOf(account.stripe, sub.id)).toHaveLength(count);
    await account.setClock(JAN_1 + 60);
    const [renewal] = await invoicesOf(account.stripe, sub.id);
    const teamCredit = Math.round((4900 * 16) / 31);
    expect(renewal!.lines.data.map((l) => [l.amount, l.parent?.type])).toEqual([
      [-teamCredit, "invoice_item_details"],
      [credit, "invoice_item_details"],
      [2900, "subscription_item_details"],
    ]);
    expect(renewal).toMatchObject({ billing_reason: "subscription_cycle", status: "paid", total: 2900 + credit - teamCredit });
  });

  it("cancel_at_period_end: cancel_at is the period end, it can be undone, and the subscription ends at the period end", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { subscription: sub } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });

    const canceling = await account.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(canceling).toMatchObject({
      status: "active",
      cancel_at_period_end: true,
      cancel_at: DEC_1,
      ended_at: null,
      cancellation_details: { reason: "cancellation_requested" },
    });
    // Stripe sets canceled_at when the cancellation is requested (ended_at tells when it happened)
    expect(canceling.canceled_at! - NOV_15_NOON).toBeLessThan(5);
    const [requested] = (await eventsOf(account.stripe, ["customer.subscription.updated"])).slice(-1);
    expect(requested!.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });

    const renewing = await account.stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    expect(renewing).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    await account.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });

    await account.setClock(DEC_1 + DAY);
    const ended = await account.stripe.subscriptions.retrieve(sub.id);
    expect(ended).toMatchObject({ status: "canceled", ended_at: DEC_1 });
    expect(await invoicesOf(account.stripe, sub.id)).toHaveLength(1); // no renewal invoice
    const [deleted] = await eventsOf(account.stripe, ["customer.subscription.deleted"]);
    expect(deleted).toMatchObject({ created: DEC_1, data: { object: { id: sub.id, status: "canceled" } } });
    expect((await account.stripe.subscriptions.list({ customer: sub.customer as string })).data).toEqual([]);
    expect(
      (await account.stripe.subscriptions.list({ customer: sub.customer as string, status: "canceled" })).data.map((s) => s.id),
    ).toEqual([sub.id]);
  });

  it("keeps the anchor's day of month, clamped to shorter months, and its time of day", async () => {
    const account = newAccount();
    const jan31 = at("2027-01-31T09:30:00Z");
    await account.setClock(jan31);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { subscription: sub } = await subscribe(account, pro);
    expect(item(sub).current_period_end - at("2027-02-28T09:30:00Z")).toBeLessThan(5);
    await account.setClock(at("2027-04-01T00:00:00Z"));
    const renewed = await account.stripe.subscriptions.retrieve(sub.id);
    expect(
      [item(renewed).current_period_start, item(renewed).current_period_end].map((t) => new Date(t * 1000).toISOString().slice(0, 16)),
    ).toEqual(["2027-03-31T09:30", "2027-04-30T09:30"]);
    expect((await invoicesOf(account.stripe, sub.id)).map((i) => i.amount_paid)).toEqual([2900, 2900, 2900]);
  });

  it("ends a trial now with trial_end=now: the first month is billed at once and the cycle starts today", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { subscription: sub } = await subscribe(account, pro, { trial_period_days: 30 });
    const ended = await account.stripe.subscriptions.update(sub.id, { trial_end: "now" }, { idempotencyKey: randomUUID() });
    expect(ended.status).toBe("active");
    expect(ended.billing_cycle_anchor - NOV_15_NOON).toBeLessThan(5);
    expect(ended.trial_end).toBe(ended.billing_cycle_anchor);
    expect(item(ended).current_period_end).toBe(ended.billing_cycle_anchor + 30 * DAY); // Nov 15 → Dec 15
    expect(await account.stripe.invoices.retrieve(ended.latest_invoice as string)).toMatchObject({
      status: "paid",
      amount_paid: 2900,
      billing_reason: "subscription_update",
    });
  });

  it("cancels at once with subscriptions.cancel", async () => {
    const account = newAccount();
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { subscription: sub } = await subscribe(account, pro);
    const canceled = await account.stripe.subscriptions.cancel(sub.id);
    expect(canceled.status).toBe("canceled");
    expect(canceled.ended_at).toBe(canceled.canceled_at);
    expect(canceled.ended_at! - item(sub).current_period_start).toBeLessThan(5);
    expect(
      (await eventsOf(account.stripe, ["customer.subscription.deleted"])).map((e) => (e.data.object as Stripe.Subscription).id),
    ).toEqual([sub.id]);
    const again = await expectStripeError(account.stripe.subscriptions.cancel(sub.id));
    expect(again.statusCode).toBe(400);
  });
});

describe("Stripe emulator: failed payments", () => {
  it("a 0341 card: the trial starts, every charge then fails (past_due, retries at +3/+5/+7 days), a working card pays", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const form = { email: "card@example.test", number: "4000 0000 0000 0341", expiry: "12/34", cvc: "123", name: "Card Holder" };

    // Something due now: Checkout refuses the card, as Stripe's …0341 attaches but cannot be charged.
    const { session: due } = await subscriptionSession(account, pro, { billing_cycle_anchor: DEC_1 });
    const refused = await fetch(due.url!, { method: "POST", body: new URLSearchParams({ action: "pay", ...form }) });
    expect(await refused.text()).toContain('role="alert">Your card was declined. Try another card.');
    expect(await account.stripe.checkout.sessions.retrieve(due.id)).toMatchObject({ status: "open", subscription: null });

    const { session } = await subscriptionSession(account, pro, { trial_period_days: 30 });
    const started = await fetch(session.url!, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ action: "pay", ...form }),
    });
    expect(started.status).toBe(303);
    const sub = await account.stripe.subscriptions.retrieve(
      (await account.stripe.checkout.sessions.retrieve(session.id)).subscription as string,
    );
    expect(sub.status).toBe("trialing");

    const trialEnd = sub.trial_end!;
    await account.setClock(trialEnd + 60);
    const pastDue = await account.stripe.subscriptions.retrieve(sub.id, { expand: ["latest_invoice"] });
    expect(pastDue.status).toBe("past_due");
    expect(pastDue.latest_invoice).toMatchObject({
      status: "open",
      amount_remaining: 2900,
      attempt_count: 1,
      attempted: true,
      next_payment_attempt: trialEnd + 3 * DAY,
    });
    const invoiceId = (pastDue.latest_invoice as Stripe.Invoice).id;

    for (const [days, attempts, next] of [
      [3, 2, trialEnd + 5 * DAY],
      [5, 3, trialEnd + 7 * DAY],
      [7, 4, null],
    ] as const) {
      await account.setClock(trialEnd + days * DAY + 60);
      expect(await account.stripe.invoices.retrieve(invoiceId)).toMatchObject({
        status: "open",
        attempt_count: attempts,
        next_payment_attempt: next,
      });
    }
    await account.setClock(trialEnd + 20 * DAY);
    expect(await account.stripe.invoices.retrieve(invoiceId)).toMatchObject({ status: "open", attempt_count: 4 });
    expect((await account.stripe.subscriptions.retrieve(sub.id)).status).toBe("past_due");
    const failures = await eventsOf(account.stripe, ["invoice.payment_failed"]);
    expect(failures.map((e) => e.created)).toEqual([trialEnd, trialEnd + 3 * DAY, trialEnd + 5 * DAY, trialEnd + 7 * DAY]);

    const declined = await expectStripeError(account.stripe.invoices.pay(invoiceId));
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({ statusCode: 402, code: "card_declined" });
    expect((await account.stripe.invoices.retrieve(invoiceId)).attempt_count).toBe(5);

    const refusedCard = await expectStripeError(
      account.stripe.customers.update(sub.customer as string, { invoice_settings: { default_payment_method: "pm_card_chargeDeclined" } }),
    );
    expect(refusedCard).toMatchObject({ statusCode: 402, code: "card_declined" });
    await account.stripe.customers.update(sub.customer as string, { invoice_settings: { default_payment_method: "pm_card_visa" } });
    const paid = await account.stripe.invoices.pay(invoiceId);
    expect(paid).toMatchObject({ status: "paid", amount_paid: 2900, amount_remaining: 0, next_payment_attempt: null });
    expect((await account.stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
    const [restored] = (await eventsOf(account.stripe, ["customer.subscription.updated"])).slice(-1);
    expect(restored).toMatchObject({ data: { object: { status: "active" }, previous_attributes: { status: "past_due" } } });
  });

  it("a customer whose card starts declining: past_due at renewal, and the portal's Update card pays the open invoice", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { customer, subscription: sub } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    const declining = await account.control("POST", `/customers/${customer.id}/card`, { outcome: "declines" });
    expect(declining).toMatchObject({ status: 200, body: { outcome: "declines" } });

    await account.setClock(DEC_1 + 60);
    expect((await account.stripe.subscriptions.retrieve(sub.id)).status).toBe("past_due");

    const portal = await account.stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: "http://app.test/settings/billing",
    });
    const page = await (await fetch(portal.url)).text();
    expect(page).toContain("Past due");
    expect(page).toContain("Your last payment of $29.00 failed.");
    const form = await (await fetch(`${portal.url}?update=card`)).text();
    expect(form).toMatch(/<button class="primary" type="submit" name="action" value="card">Save card<\/button>/);
    const saved = await submitForm(portal.url, form, "card", {
      number: "4242 4242 4242 4242",
      expiry: "12/34",
      cvc: "123",
      name: "Sub Scriber",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`/p/session/${portal.id}?notice=card-paid`);
    expect((await account.stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
    const [renewal] = await invoicesOf(account.stripe, sub.id);
    expect(renewal).toMatchObject({ status: "paid", attempt_count: 2 });
  });
});

describe("Stripe emulator: clocks, portal, shapes and webhooks", () => {
  it("keeps each account's clock to itself", async () => {
    const a = newAccount();
    const b = newAccount();
    const pro = await planPrice(b.stripe, "Pro", 2900);
    const { subscription: sub } = await subscribe(b, pro);
    await a.setClock(at("2031-01-01T00:00:00Z"));
    expect((await a.control<{ now: number }>("GET", "/clock")).body.now - at("2031-01-01T00:00:00Z")).toBeLessThan(5);
    const bNow = (await b.control<{ now: number }>("GET", "/clock")).body.now;
    expect(Math.abs(bNow - Date.now() / 1000)).toBeLessThan(60);
    expect(await b.stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: "active", latest_invoice: sub.latest_invoice });
    expect(await invoicesOf(b.stripe, sub.id)).toHaveLength(1);
  });

  it("shows the plan in the Billing portal, and its Cancel plan button sets cancel_at_period_end like the API", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { customer, subscription: sub } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    const portal = await account.stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: "http://app.test/settings/billing",
    });
    const page = await (await fetch(portal.url)).text();
    expect(page).toContain('<h2 id="plan">Current plan</h2>');
    expect(page).toContain("Pro");
    expect(page).toContain("$29.00 / month");
    expect(page).toContain("Renews on Dec 1, 2026");
    expect(page).toMatch(/visa<\/span>•••• 4242/);
    const [invoice] = await invoicesOf(account.stripe, sub.id);
    expect(page).toContain(`>${invoice!.number}</a>`);
    expect(page).toContain("$14.98");
    expect(page).toMatch(/<h2 id="history">Payment history<\/h2>/);
    expect(page).toMatch(/href="http:\/\/app\.test\/settings\/billing">.*Return to Creditbook<\/a>/);

    const canceled = await submitForm(portal.url, page, "cancel");
    expect(canceled.status).toBe(303);
    expect(await account.stripe.subscriptions.retrieve(sub.id)).toMatchObject({
      status: "active",
      cancel_at_period_end: true,
      cancel_at: DEC_1,
    });
    const [event] = (await eventsOf(account.stripe, ["customer.subscription.updated"])).slice(-1);
    expect(event!.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });
    const after = await (await fetch(`${emulator.url}${canceled.headers.get("location")}`)).text();
    expect(after).toContain("Cancels on Dec 1, 2026");
    expect(after).toContain('role="status"');
    expect(after).toMatch(/value="renew">Renew plan<\/button>/);

    const invoicePage = await (await fetch(invoice!.hosted_invoice_url!)).text();
    expect(invoicePage).toContain("Remaining time on Pro after 15 Nov 2026");
    expect(invoicePage).toContain("$14.98 paid");
  });

  it("answers subscriptions, invoices and payment methods with every field of Stripe's schema (absent values null)", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { subscription } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    const sub = await account.stripe.subscriptions.retrieve(subscription.id);
    const invoice = await account.stripe.invoices.retrieve(sub.latest_invoice as string, { expand: ["payments"] });
    const pm = await account.stripe.paymentMethods.list({ customer: sub.customer as string });
    // required and nullable properties of Stripe's 2026 schemas (Stripe's published OpenAPI document)
    const SHAPES: [object, string[]][] = [
      [
        sub,
        [
          "automatic_tax",
          "billing_cycle_anchor",
          "billing_mode",
          "billing_schedules",
          "cancel_at_period_end",
          "collection_method",
          "created",
          "currency",
          "customer",
          "discounts",
          "id",
          "invoice_settings",
          "items",
          "livemode",
          "metadata",
          "object",
          "start_date",
          "status",
          "application",
          "application_fee_percent",
          "billing_cycle_anchor_config",
          "billing_thresholds",
          "cancel_at",
          "canceled_at",
          "cancellation_details",
          "customer_account",
          "days_until_due",
          "default_payment_method",
          "default_source",
          "default_tax_rates",
          "description",
          "ended_at",
          "latest_invoice",
          "managed_payments",
          "next_pending_invoice_item_invoice",
          "on_behalf_of",
          "pause_collection",
          "payment_settings",
          "pending_invoice_item_interval",
          "pending_setup_intent",
          "pending_update",
          "schedule",
          "test_clock",
          "transfer_data",
          "trial_end",
          "trial_settings",
          "trial_start",
        ],
      ],
      [
        item(sub),
        [
          "created",
          "current_period_end",
          "current_period_start",
          "discounts",
          "id",
          "metadata",
          "object",
          "price",
          "subscription",
          "billing_thresholds",
          "tax_rates",
        ],
      ],
      [invoice, INVOICE_KEYS],
      [
        invoice.lines.data[0]!,
        [
          "amount",
          "currency",
          "discountable",
          "discounts",
          "id",
          "livemode",
          "metadata",
          "object",
          "period",
          "subtotal",
          "description",
          "discount_amounts",
          "invoice",
          "parent",
          "pretax_credit_amounts",
          "pricing",
          "quantity",
          "quantity_decimal",
          "subscription",
          "taxes",
        ],
      ],
      [
        invoice.payments!.data[0]!,
        [
          "amount_requested",
          "created",
          "currency",
          "id",
          "invoice",
          "is_default",
          "livemode",
          "object",
          "payment",
          "status",
          "status_transitions",
          "amount_paid",
        ],
      ],
      [pm.data[0]!, ["billing_details", "created", "id", "livemode", "object", "type", "customer", "metadata"]],
    ];
    for (const [object, keys] of SHAPES)
      for (const key of keys) expect(object, `${(object as { object: string }).object}.${key}`).toHaveProperty(key);
    for (const key of [
      "application",
      "cancel_at",
      "canceled_at",
      "days_until_due",
      "default_payment_method",
      "description",
      "ended_at",
      "pending_update",
      "schedule",
      "trial_end",
      "trial_start",
    ] as const)
      expect(sub[key], `subscription.${key}`).toBeNull();
    for (const key of [
      "application",
      "due_date",
      "footer",
      "from_invoice",
      "last_finalization_error",
      "next_payment_attempt",
      "receipt_number",
    ] as const)
      expect(invoice[key], `invoice.${key}`).toBeNull();
    expect(sub.items).toMatchObject({ object: "list", has_more: false, url: `/v1/subscription_items?subscription=${sub.id}` });
    expect(invoice.lines).toMatchObject({ object: "list", has_more: false, url: `/v1/invoices/${invoice.id}/lines` });
    expect(invoice.status_transitions).toMatchObject({
      finalized_at: expect.any(Number),
      marked_uncollectible_at: null,
      paid_at: expect.any(Number),
      voided_at: null,
    });
  });

  it("delivers the subscription and invoice events to webhook endpoints, signed like the others", async () => {
    const account = newAccount();
    const received: Stripe.Event[] = [];
    const secret = "whsec_subscription_events";
    const endpoint = await serveRoute(async (req) => {
      const body = await req.text();
      received.push(account.stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, secret));
      return new Response("ok");
    });
    const emitter = await startStripeEmulator({ port: 0, quiet: true, webhookUrl: endpoint.url, webhookSecret: secret });
    try {
      const stripe = new Stripe(account.key, { host: "127.0.0.1", port: emitter.port, protocol: "http", maxNetworkRetries: 0 });
      const price = await stripe.prices.create({
        currency: "usd",
        unit_amount: 2900,
        recurring: { interval: "month" },
        product_data: { name: "Pro" },
      });
      const session = await stripe.checkout.sessions.create({
        mode: "subscription",
        line_items: [{ price: price.id, quantity: 1 }],
        customer_email: "hook@example.test",
        success_url: "http://app.test/ok",
      });
      const paid = await fetch(`${emitter.url}/_emulator/checkout/sessions/${session.id}/pay`, {
        method: "POST",
        headers: { authorization: `Bearer ${account.key}` },
      });
      const subscription = ((await paid.json()) as Stripe.Checkout.Session).subscription as string;
      await stripe.subscriptions.cancel(subscription);
      const types = [
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
        "payment_method.attached",
        "customer.subscription.deleted",
      ];
      await waitFor(async () => types.every((t) => received.some((e) => e.type === t)), "the subscription events' deliveries");
      const deleted = received.find((e) => e.type === "customer.subscription.deleted")!;
      expect(deleted.data.object).toMatchObject({ id: subscription, status: "canceled" });
      expect((await stripe.events.retrieve(deleted.id)).type).toBe("customer.subscription.deleted");
    } finally {
      await emitter.close();
      await endpoint.close();
    }
  });
});

describe("Stripe emulator: the next invoice (create_preview) and invoice documents", () => {
  it("previews the renewal with Stripe's invoice shape, and the renewal then bills what the preview said", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { customer, subscription } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    const preview = await account.stripe.invoices.createPreview({ customer: customer.id, subscription: subscription.id });
    for (const key of INVOICE_KEYS) expect(preview, `invoice.${key}`).toHaveProperty(key);
    expect(preview.id).toMatch(/^upcoming_in_[A-Za-z0-9]{14,}$/);
    expect(preview).toMatchObject({
      object: "invoice",
      status: "draft",
      customer: customer.id,
      currency: "usd",
      billing_reason: "subscription_cycle",
      amount_due: 2900,
      amount_paid: 0,
      total: 2900,
      subtotal: 2900,
      created: DEC_1,
      next_payment_attempt: DEC_1,
      period_start: NOV_15_NOON,
      period_end: DEC_1,
      number: null,
      hosted_invoice_url: null,
      invoice_pdf: null,
      parent: { type: "subscription_details", subscription_details: { subscription: subscription.id } },
      lines: { object: "list", has_more: false, url: `/v1/invoices/${preview.id}/lines` },
    });
    expect(preview.lines.data).toHaveLength(1);
    expect(preview.lines.data[0]).toMatchObject({
      object: "line_item",
      amount: 2900,
      description: "1 × Pro (at $29.00 / month)",
      period: { start: DEC_1, end: JAN_1 },
    });
    // A preview is not an invoice yet: not listed, not retrievable.
    expect((await invoicesOf(account.stripe, subscription.id)).map((i) => i.id)).not.toContain(preview.id);
    expect(await expectStripeError(account.stripe.invoices.retrieve(preview.id!))).toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });

    await account.setClock(DEC_1);
    const [renewal] = await invoicesOf(account.stripe, subscription.id);
    expect(renewal).toMatchObject({
      billing_reason: "subscription_cycle",
      status: "paid",
      amount_paid: preview.amount_due,
      period_start: preview.period_start,
      period_end: preview.period_end,
    });
    expect(renewal!.lines.data.map((l) => [l.description, l.amount, l.period])).toEqual(
      preview.lines.data.map((l) => [l.description, l.amount, l.period]),
    );
  });

  it("has no upcoming invoice once the subscription is set to end, and asks which subscription to preview", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { customer, subscription } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    await account.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const none = await expectStripeError(account.stripe.invoices.createPreview({ customer: customer.id, subscription: subscription.id }));
    expect(none).toMatchObject({ statusCode: 404, type: "StripeInvalidRequestError", code: "invoice_upcoming_none" });
    const missing = await expectStripeError(account.stripe.invoices.createPreview({ customer: customer.id }));
    expect(missing).toMatchObject({ statusCode: 400, code: "parameter_missing", param: "subscription" });
    const other = await account.stripe.customers.create({ email: "other@example.test" });
    const mismatch = await expectStripeError(account.stripe.invoices.createPreview({ customer: other.id, subscription: subscription.id }));
    expect(mismatch).toMatchObject({ statusCode: 400, param: "subscription" });
  });

  /** An account with Pro ($29), Business ($99) and Team ($49) monthly, subscribed to Pro since Nov 15 and renewed Dec 1, on Dec 16. */
  async function proOnDec16() {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const [pro, business, team] = await Promise.all([
      planPrice(account.stripe, "Pro", 2900),
      planPrice(account.stripe, "Business", 9900),
      planPrice(account.stripe, "Team", 4900),
    ]);
    const { customer, subscription } = await subscribe(account, pro, { billing_cycle_anchor: DEC_1 });
    await account.setClock(DEC_16);
    return { account, pro, business, team, customer, sub: await account.stripe.subscriptions.retrieve(subscription.id) };
  }
  /** What the change charges now, read as Stripe recommends: its proration lines from the proration date. */
  const chargedNow = (preview: Stripe.Invoice, prorationDate: number) =>
    preview.lines.data
      .filter((l) => l.parent?.subscription_item_details?.proration && l.period.start === prorationDate)
      .reduce((sum, l) => sum + l.amount, 0);

  it("previews an upgrade mid-month: the proration lines sum to what the always_invoice update with the same proration_date bills and charges", async () => {
    const { account, business, customer, sub } = await proOnDec16();
    const items = [{ id: item(sub).id, price: business.id }];
    const preview = await account.stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items, proration_behavior: "always_invoice", proration_date: DEC_16 },
    });
    // 16 of December's 31 days left: Pro credited, Business charged, then January at Business
    const credit = Math.round((2900 * 16) / 31);
    const charge = Math.round((9900 * 16) / 31);
    expect(preview.lines.data.map((l) => [l.description, l.amount, l.parent?.subscription_item_details?.proration, l.period])).toEqual([
      ["Unused time on Pro after 16 Dec 2026", -credit, true, { start: DEC_16, end: JAN_1 }],
      ["Remaining time on Business after 16 Dec 2026", charge, true, { start: DEC_16, end: JAN_1 }],
      ["1 × Business (at $99.00 / month)", 9900, false, { start: JAN_1, end: FEB_1 }],
    ]);
    expect(preview).toMatchObject({
      billing_reason: "subscription_cycle",
      total: charge - credit + 9900,
      parent: { subscription_details: { subscription: sub.id, subscription_proration_date: DEC_16 } },
    });
    const dueNow = chargedNow(preview, DEC_16);
    expect(dueNow).toBe(charge - credit);
    expect(dueNow).toBeGreaterThan(0);

    // The customer confirms an hour later: the same proration_date bills what the preview said, to the cent.
    await account.setClock(DEC_16 + 3600);
    const upgraded = await account.stripe.subscriptions.update(sub.id, {
      items,
      proration_behavior: "always_invoice",
      proration_date: DEC_16,
    });
    const invoice = await account.stripe.invoices.retrieve(upgraded.latest_invoice as string, { expand: ["payments"] });
    expect(invoice).toMatchObject({
      billing_reason: "subscription_update",
      status: "paid",
      total: dueNow,
      amount_due: dueNow,
      amount_paid: dueNow,
    });
    expect(invoice.lines.data.map((l) => [l.amount, l.period.start])).toEqual([
      [-credit, DEC_16],
      [charge, DEC_16],
    ]);
    const intent = await account.stripe.paymentIntents.retrieve(invoice.payments!.data[0]!.payment.payment_intent as string);
    expect(intent).toMatchObject({ status: "succeeded", amount: dueNow });
  });

  it("previews a downgrade with proration_behavior none: no proration lines, the next month at the lower price", async () => {
    const { account, team, customer, sub } = await proOnDec16();
    const preview = await account.stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item(sub).id, price: team.id }], proration_behavior: "none" },
    });
    expect(preview.lines.data.map((l) => [l.description, l.amount, l.parent?.subscription_item_details?.proration, l.period])).toEqual([
      ["1 × Team (at $49.00 / month)", 4900, false, { start: JAN_1, end: FEB_1 }],
    ]);
    expect(chargedNow(preview, DEC_16)).toBe(0);
    expect(preview).toMatchObject({ total: 4900, amount_due: 4900, created: JAN_1 });
  });

  it("previews a change of interval as the invoice billed at once, and a trial's change as its first invoice at the new price", async () => {
    const { account, customer, sub } = await proOnDec16();
    const yearly = await planPrice(account.stripe, "Pro", 29000, "year");
    const change = { items: [{ id: item(sub).id, price: yearly.id }], proration_date: DEC_16 };
    const preview = await account.stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: change,
    });
    const credit = Math.round((2900 * 16) / 31);
    expect(preview).toMatchObject({ billing_reason: "subscription_update", total: 29000 - credit, amount_due: 29000 - credit });
    expect(preview.created - DEC_16).toBeLessThan(60);
    expect(preview.lines.data.map((l) => [l.amount, l.parent?.subscription_item_details?.proration])).toEqual([
      [-credit, true],
      [29000, false],
    ]);
    const yearlyUpdate = await account.stripe.subscriptions.update(sub.id, change);
    expect(await account.stripe.invoices.retrieve(yearlyUpdate.latest_invoice as string)).toMatchObject({
      status: "paid",
      amount_paid: preview.amount_due,
    });

    const pro = item(sub).price;
    const business = await planPrice(account.stripe, "Business", 9900);
    const { customer: trialist, subscription: trial } = await subscribe(account, pro, { trial_period_days: 30 });
    const trialPreview = await account.stripe.invoices.createPreview({
      customer: trialist.id,
      subscription: trial.id,
      subscription_details: { items: [{ id: item(trial).id, price: business.id }], proration_behavior: "always_invoice" },
    });
    const trialEnd = trial.trial_end!;
    expect(trialPreview.lines.data.map((l) => [l.amount, l.parent?.subscription_item_details?.proration, l.period.start])).toEqual([
      [9900, false, trialEnd],
    ]);
    expect(trialPreview.created).toBe(trialEnd);
  });

  it("previews cancel_at_period_end as no upcoming invoice, and refuses unknown subscription_details and a proration_date outside the period", async () => {
    const { account, business, customer, sub } = await proOnDec16();
    const preview = (subscription_details: Stripe.InvoiceCreatePreviewParams.SubscriptionDetails) =>
      expectStripeError(account.stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id, subscription_details }));
    expect(await preview({ cancel_at_period_end: true })).toMatchObject({
      statusCode: 404,
      type: "StripeInvalidRequestError",
      code: "invoice_upcoming_none",
    });

    const unknown = await preview({
      items: [{ id: item(sub).id, price: business.id }],
      trial_end: "now",
    } as Stripe.InvoiceCreatePreviewParams.SubscriptionDetails);
    expect(unknown).toMatchObject({
      statusCode: 400,
      type: "StripeInvalidRequestError",
      code: "parameter_unknown",
      param: "subscription_details[trial_end]",
    });
    expect(unknown.raw).toMatchObject({
      type: "invalid_request_error",
      message: "Received unknown parameter: subscription_details[trial_end]",
    });
    const unknownItemKey = await preview({
      items: [{ id: item(sub).id, plan: business.id }],
    } as Stripe.InvoiceCreatePreviewParams.SubscriptionDetails);
    expect(unknownItemKey).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "subscription_details[items][0][plan]" });

    for (const outside of [DEC_1 - 1, JAN_1 + 1]) {
      const before = await preview({ items: [{ id: item(sub).id, price: business.id }], proration_date: outside });
      expect(before).toMatchObject({
        statusCode: 400,
        type: "StripeInvalidRequestError",
        code: "parameter_invalid",
        param: "subscription_details[proration_date]",
      });
      const update = await expectStripeError(
        account.stripe.subscriptions.update(sub.id, { items: [{ id: item(sub).id, price: business.id }], proration_date: outside }),
      );
      expect(update).toMatchObject({ statusCode: 400, code: "parameter_invalid", param: "proration_date" });
    }
  });

  it("previews a change without changing the subscription: no invoice, no event, the same subscription before and after", async () => {
    const { account, business, customer, sub } = await proOnDec16();
    const invoices = await invoicesOf(account.stripe, sub.id);
    const events = await account.stripe.events.list({ limit: 100 });
    await account.stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: {
        items: [{ id: item(sub).id, price: business.id, quantity: 3 }],
        proration_behavior: "create_prorations",
        proration_date: DEC_16,
      },
    });
    expect(await account.stripe.subscriptions.retrieve(sub.id)).toEqual(sub);
    expect(await invoicesOf(account.stripe, sub.id)).toEqual(invoices);
    expect((await account.stripe.events.list({ limit: 100 })).data).toEqual(events.data);
    // nothing left pending either: the renewal's preview is January at Pro alone
    const renewal = await account.stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id });
    expect(renewal.lines.data.map((l) => l.amount)).toEqual([2900]);
  });

  it("serves a finalized invoice's hosted page and its PDF", async () => {
    const account = newAccount();
    await account.setClock(NOV_15_NOON);
    const pro = await planPrice(account.stripe, "Pro", 2900);
    const { subscription } = await subscribe(account, pro);
    const [invoice] = await invoicesOf(account.stripe, subscription.id);
    expect(invoice!.invoice_pdf).toBe(`${invoice!.hosted_invoice_url}/pdf`);
    const page = await fetch(invoice!.hosted_invoice_url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(invoice!.number!);
    const pdf = await fetch(invoice!.invoice_pdf!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const body = Buffer.from(await pdf.arrayBuffer()).toString("latin1");
    expect(body.startsWith("%PDF-1.4\n")).toBe(true);
    expect(body.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(body).toContain(`Invoice ${invoice!.number}`);
    expect(body).toContain("Amount paid: $29.00");
    // Every object sits at the byte offset the cross-reference table gives.
    const offsets = [...body.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((offset, i) => expect(body.slice(offset).startsWith(`${i + 1} 0 obj`)).toBe(true));
    expect(body.slice(Number(/startxref\n(\d+)/.exec(body)![1])).startsWith("xref")).toBe(true);
  });
});
