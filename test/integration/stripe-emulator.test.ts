import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "../../scripts/stripe-emulator/index.ts";
import { parseForm } from "../../scripts/stripe-emulator/form.ts";

// The local Stripe emulator driven through the official SDK, as the app uses it.

let emulator: StripeEmulator;
let receiver: Receiver;
const KEY = `sk_test_${randomUUID().replace(/-/g, "")}`;
const DEFAULT_SECRET = "whsec_emulator_default_endpoint";

function newKey(): string {
  return `sk_test_${randomUUID().replace(/-/g, "")}`;
}

function sdk(key = KEY): Stripe {
  return new Stripe(key, { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
}

/** Calls a /_emulator control endpoint; returns the status and JSON body. */
async function control<T = Record<string, unknown>>(
  method: "GET" | "POST",
  urlPath: string,
  body?: object,
  key = KEY,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emulator.url}/_emulator${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls until `probe` returns something truthy; fails after `timeoutMs`. */
async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A real HTTP server standing in for the app's webhook route. `failNext[path]` answers 500 that many times.
type Delivery = { path: string; signature: string; body: string; status: number };
type Receiver = { url: string; deliveries: Delivery[]; failNext: Map<string, number>; close(): Promise<void> };

async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const failNext = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const p = req.url ?? "/";
      const failures = failNext.get(p) ?? 0;
      const status = failures > 0 ? 500 : 200;
      if (failures > 0) failNext.set(p, failures - 1);
      deliveries.push({ path: p, signature: String(req.headers["stripe-signature"] ?? ""), body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    failNext,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A $10.00 one-time Checkout Session, as the app creates one for a credit pack. */
function newSession(stripe = sdk(), extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: "usd", unit_amount: 1000, product_data: { name: "1,000 credits" } }, quantity: 1 }],
    success_url: "http://app.test/billing?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/billing?checkout=cancelled",
    metadata: { workspace_id: "ws_1" },
    payment_intent_data: { metadata: { workspace_id: "ws_1" } },
    ...extra,
  });
}

async function paidSession(stripe = sdk(), key = KEY) {
  const session = await newSession(stripe);
  const paid = await control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" }, key);
  expect(paid.status).toBe(200);
  return paid.body;
}

async function expectStripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
}

beforeAll(async () => {
  receiver = await startReceiver();
  emulator = await startStripeEmulator({
    port: 0,
    retryBaseMs: 20,
    quiet: true,
    webhookUrl: `${receiver.url}/default`,
    webhookSecret: DEFAULT_SECRET,
  });
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

describe("Stripe emulator: API basics", () => {
  it("creates and retrieves a customer with Stripe's shape", async () => {
    const stripe = sdk();
    const created = await stripe.customers.create({ email: "ann@example.test", name: "Ann", metadata: { workspace_id: "ws_1" } });
    expect(created).toMatchObject({
      object: "customer",
      livemode: false,
      email: "ann@example.test",
      name: "Ann",
      metadata: { workspace_id: "ws_1" },
    });
    expect(created.id).toMatch(/^cus_[A-Za-z0-9]{14,}$/);
    expect(Number.isInteger(created.created)).toBe(true);
    expect(Math.abs(created.created - Date.now() / 1000)).toBeLessThan(60);
    // absent optional values are null, not missing
    for (const key of ["address", "description", "phone", "shipping", "currency", "default_source", "discount", "test_clock"] as const) {
      expect(created).toHaveProperty(key, null);
    }
    const fetched = await stripe.customers.retrieve(created.id);
    expect(fetched).toEqual(created);
    const updated = await stripe.customers.update(created.id, { name: "Ann B", metadata: { plan: "pro" } });
    expect(updated).toMatchObject({ name: "Ann B", metadata: { workspace_id: "ws_1", plan: "pro" } });
    const listed = await stripe.customers.list({ email: "ann@example.test" });
    expect(listed).toMatchObject({ object: "list", has_more: false, url: "/v1/customers" });
    expect(listed.data.map((c) => c.id)).toEqual([created.id]);
  });

  it("raises StripeInvalidRequestError resource_missing (404) with the param for unknown ids", async () => {
    const error = await expectStripeError(sdk().checkout.sessions.retrieve("cs_test_nope"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      param: "id",
      message: "No such checkout.session: 'cs_test_nope'",
    });

    const portal = await expectStripeError(sdk().billingPortal.sessions.create({ customer: "cus_missing" }));
    expect(portal).toMatchObject({ statusCode: 404, code: "resource_missing", param: "customer" });
  });

  it("rejects missing and unknown parameters like Stripe", async () => {
    const missing = await expectStripeError(sdk().checkout.sessions.create({ mode: "payment", success_url: "http://app.test/ok" }));
    expect(missing).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", code: "parameter_missing", param: "line_items" });
    const quantity = await expectStripeError(
      newSession(sdk(), { line_items: [{ price_data: { currency: "usd", unit_amount: 1000, product_data: { name: "x" } } }] }),
    );
    expect(quantity).toMatchObject({ code: "parameter_missing", param: "line_items[0][quantity]" });
    const unknown = await expectStripeError(sdk().customers.create({ nickname: "x" } as Stripe.CustomerCreateParams));
    expect(unknown).toMatchObject({ code: "parameter_unknown", param: "nickname" });
  });

  it("answers 401 StripeAuthenticationError without a valid secret key", async () => {
    const res = await fetch(`${emulator.url}/v1/customers`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/^You did not provide an API key/);

    const error = await expectStripeError(sdk("pk_test_publishable").customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
  });

  it("answers unknown routes and wrong methods with a Stripe-shaped 404", async () => {
    for (const [method, urlPath] of [
      ["GET", "/v1/nothing"],
      ["DELETE", "/v1/checkout/sessions"],
    ] as const) {
      const res = await fetch(`${emulator.url}${urlPath}`, { method, headers: { authorization: `Bearer ${KEY}` } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { type: string; message: string } }).error).toMatchObject({
        type: "invalid_request_error",
        message: expect.stringContaining(`Unrecognized request URL (${method}: ${urlPath})`),
      });
    }
  });

  it("keeps accounts apart: another key cannot see the object", async () => {
    const mine = await sdk().customers.create({ email: "mine@example.test" });
    const other = sdk(newKey());
    const error = await expectStripeError(other.customers.retrieve(mine.id));
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing" });
    expect((await other.customers.list()).data).toEqual([]);
  });

  it("replays an idempotent request and refuses the same key with other params", async () => {
    const stripe = sdk();
    const idempotencyKey = randomUUID();
    const first = await stripe.customers.create({ email: "idem@example.test" }, { idempotencyKey });
    const second = await stripe.customers.create({ email: "idem@example.test" }, { idempotencyKey });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await stripe.customers.list({ email: "idem@example.test" })).data).toHaveLength(1);

    const conflict = await expectStripeError(stripe.customers.create({ email: "other@example.test" }, { idempotencyKey }));
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(conflict.statusCode).toBe(400);
  });

  it("confirms payment intents with Stripe's test payment methods; a decline is a 402 StripeCardError", async () => {
    const stripe = sdk();
    const ok = await stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      metadata: { k: "v" },
    });
    expect(ok).toMatchObject({ object: "payment_intent", status: "succeeded", amount_received: 2000, metadata: { k: "v" } });
    expect(await stripe.charges.retrieve(ok.latest_charge as string)).toMatchObject({ paid: true, amount: 2000, metadata: { k: "v" } });

    const error = await expectStripeError(
      stripe.paymentIntents.create({ amount: 2000, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" });
    const declined = await stripe.paymentIntents.retrieve(error.payment_intent!.id);
    expect(declined).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: "card_declined" } });
    expect((await stripe.paymentIntents.confirm(declined.id, { payment_method: "pm_card_visa" })).status).toBe("succeeded");

    const small = await expectStripeError(stripe.paymentIntents.create({ amount: 10, currency: "usd" }));
    expect(small).toMatchObject({ statusCode: 400, code: "amount_too_small", param: "amount" });
  });

  it("makes the SDK raise StripeAPIError for injected faults, then recovers", async () => {
    const stripe = sdk();
    const fault = await control("POST", "/faults", { method: "POST", path: "/v1/customers", status: 500, count: 1 });
    expect(fault.status).toBe(200);
    const error = await expectStripeError(stripe.customers.create({ email: "fault@example.test" }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 500, rawType: "api_error" });
    expect((await stripe.customers.create({ email: "fault@example.test" })).email).toBe("fault@example.test");
  });
});

describe("Stripe emulator: checkout sessions", () => {
  it("creates a session from price_data with Stripe's shape", async () => {
    const stripe = sdk();
    const session = await newSession(stripe, { client_reference_id: "ws_1", customer_email: "buyer@example.test" });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_subtotal: 1000,
      amount_total: 1000,
      currency: "usd",
      livemode: false,
      client_reference_id: "ws_1",
      customer_email: "buyer@example.test",
      metadata: { workspace_id: "ws_1" },
      url: `${emulator.url}/c/pay/${session.id}`,
      success_url: "http://app.test/billing?session_id={CHECKOUT_SESSION_ID}",
    });
    expect(session.expires_at).toBe(session.created + 24 * 3600);
    for (const key of ["payment_intent", "customer", "customer_details", "subscription", "invoice", "client_secret", "locale"] as const) {
      expect(session).toHaveProperty(key, null);
    }
    expect(session).not.toHaveProperty("line_items"); // only when expanded

    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({
      object: "item",
      description: "1,000 credits",
      quantity: 1,
      amount_total: 1000,
      currency: "usd",
      price: { unit_amount: 1000 },
    });
    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ["line_items"] });
    expect(expanded.line_items?.data.map((i) => i.id)).toEqual(items.data.map((i) => i.id));
  });

  it("uses stored prices and checks the mode", async () => {
    const stripe = sdk();
    const product = await stripe.products.create({ name: "Pro" });
    const price = await stripe.prices.create({
      product: product.id,
      currency: "usd",
      unit_amount: 2500,
      lookup_key: `pro-${randomUUID()}`,
    });
    const session = await newSession(stripe, { line_items: [{ price: price.id, quantity: 2 }] });
    expect(session.amount_total).toBe(5000);
    const monthly = await stripe.prices.create({
      product: product.id,
      currency: "usd",
      unit_amount: 900,
      recurring: { interval: "month" },
    });
    const error = await expectStripeError(newSession(stripe, { line_items: [{ price: monthly.id, quantity: 1 }] }));
    expect(error).toMatchObject({ statusCode: 400, param: "line_items[0][price]" });
    const subscription = await newSession(stripe, {
      mode: "subscription",
      payment_intent_data: undefined,
      line_items: [{ price: monthly.id, quantity: 1 }],
      subscription_data: { metadata: { plan: "pro" } },
    });
    expect(subscription).toMatchObject({ mode: "subscription", status: "open", amount_total: 900 });
  });

  it("pays through the control endpoint: payment intent, charge and expansions", async () => {
    const stripe = sdk();
    const customer = await stripe.customers.create({ email: "payer@example.test", name: "Payer" });
    const session = await newSession(stripe, { customer: customer.id });
    const { body: paid } = await control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid", customer: customer.id, url: null });
    expect(paid.payment_intent).toMatch(/^pi_/);

    const full = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    const intent = full.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      object: "payment_intent",
      status: "succeeded",
      amount: 1000,
      amount_received: 1000,
      customer: customer.id,
      metadata: { workspace_id: "ws_1" },
    });
    const charge = intent.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: "charge",
      status: "succeeded",
      paid: true,
      captured: true,
      amount: 1000,
      amount_refunded: 0,
      refunded: false,
      payment_intent: intent.id,
      billing_details: { email: "payer@example.test", name: "Payer" },
      payment_method_details: { type: "card", card: { last4: "4242", brand: "visa" } },
    });
    expect((await stripe.paymentIntents.retrieve(intent.id)).latest_charge).toBe(charge.id);
    expect((await stripe.charges.list({ payment_intent: intent.id })).data.map((c) => c.id)).toEqual([charge.id]);
    const byIntent = await stripe.checkout.sessions.list({ payment_intent: intent.id });
    expect(byIntent.data.map((s) => s.id)).toEqual([session.id]);

    const again = await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    expect(again.status).toBe(400);
  });

  it("creates the customer when the session only had an email", async () => {
    const stripe = sdk();
    const session = await newSession(stripe, { customer_email: "guest@example.test" });
    const { body } = await control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    expect(body.customer).toMatch(/^cus_/);
    expect((await stripe.customers.retrieve(body.customer as string)) as Stripe.Customer).toMatchObject({ email: "guest@example.test" });
    expect(body.customer_details).toMatchObject({ email: "guest@example.test" });
  });

  it("settles a bank transfer later (async payment)", async () => {
    const stripe = sdk();
    const session = await newSession(stripe, { customer_email: "bank@example.test" });
    const { body: completed } = await control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, {
      outcome: "async",
    });
    expect(completed).toMatchObject({ status: "complete", payment_status: "unpaid" });
    const intentId = completed.payment_intent as string;
    expect((await stripe.paymentIntents.retrieve(intentId)).status).toBe("processing");

    const settled = await control<Stripe.PaymentIntent>("POST", `/payment_intents/${intentId}/settle`, { outcome: "succeeded" });
    expect(settled.body.status).toBe("succeeded");
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
    const events = await stripe.events.list({
      types: ["checkout.session.completed", "checkout.session.async_payment_succeeded"],
      limit: 100,
    });
    const mine = events.data.filter((e) => (e.data.object as Stripe.Checkout.Session).id === session.id).map((e) => e.type);
    expect(mine).toEqual(["checkout.session.async_payment_succeeded", "checkout.session.completed"]);
  });

  it("expires sessions: on request, and when the clock passes expires_at", async () => {
    const stripe = sdk();
    const expired = await stripe.checkout.sessions.expire((await newSession(stripe)).id);
    expect(expired).toMatchObject({ status: "expired", url: null });
    const notOpen = await expectStripeError(stripe.checkout.sessions.expire(expired.id));
    expect(notOpen.statusCode).toBe(400);

    const key = newKey();
    const other = sdk(key);
    const session = await newSession(other);
    const before = await control<{ now: number }>("GET", "/clock", undefined, key);
    const moved = await control<{ now: number }>("POST", "/clock", { advance_seconds: 25 * 3600 }, key);
    try {
      expect(moved.body.now - before.body.now).toBeGreaterThanOrEqual(25 * 3600);
      expect((await other.checkout.sessions.retrieve(session.id)).status).toBe("expired");
      expect(
        (await other.events.list({ type: "checkout.session.expired" })).data.map((e) => (e.data.object as Stripe.Checkout.Session).id),
      ).toEqual([session.id]);
    } finally {
      await control("POST", "/clock", { advance_seconds: -25 * 3600 }, key);
    }
  });
});

describe("Stripe emulator: webhooks", () => {
  it("delivers checkout.session.completed signed so stripe.webhooks.constructEvent verifies it", async () => {
    const key = newKey();
    const stripe = sdk(key);
    const endpoint = await stripe.webhookEndpoints.create({
      url: `${receiver.url}/signed`,
      enabled_events: ["checkout.session.completed"],
    });
    expect(endpoint.secret).toBe(DEFAULT_SECRET); // the emulator's webhookSecret option signs every endpoint
    const session = await newSession(stripe);
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" }, key);
    const delivery = await waitFor(
      () => receiver.deliveries.find((d) => d.path === "/signed" && d.body.includes(session.id)),
      "the signed delivery",
    );

    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret!);
    expect(event.type).toBe("checkout.session.completed");
    const object = event.data.object as Stripe.Checkout.Session;
    expect(object).toMatchObject({ id: session.id, status: "complete", payment_status: "paid", metadata: { workspace_id: "ws_1" } });
    expect(event).toMatchObject({ object: "event", livemode: false, request: { id: null, idempotency_key: null } });
    expect(event.id).toMatch(/^evt_/);
    // only the enabled type reached this endpoint
    expect(receiver.deliveries.filter((d) => d.path === "/signed").map((d) => (JSON.parse(d.body) as Stripe.Event).type)).toEqual([
      "checkout.session.completed",
    ]);
    // the default endpoint (webhookUrl option) gets every event of every account
    await waitFor(
      () => receiver.deliveries.find((d) => d.path === "/default" && d.body.includes(event.id)),
      "the default endpoint's delivery",
    );

    const tampered = delivery.body.replace('"payment_status": "paid"', '"payment_status": "unpaid"');
    expect(tampered).not.toBe(delivery.body);
    expect(() => stripe.webhooks.constructEvent(tampered, delivery.signature, endpoint.secret!)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_another")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("retries a failing endpoint with backoff until it answers 2xx, and records every attempt", async () => {
    const key = newKey();
    const stripe = sdk(key);
    await stripe.webhookEndpoints.create({ url: `${receiver.url}/flaky`, enabled_events: ["customer.created"] });
    receiver.failNext.set("/flaky", 2);
    const customer = await stripe.customers.create({ email: "flaky@example.test" });
    const event = (await stripe.events.list({ type: "customer.created" })).data[0]!;
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);

    type Attempt = { url: string; attempt: number; status: number | null; error: string | null; at: string };
    const attempts = await waitFor(async () => {
      const { body } = await control<{ data: Attempt[] }>("GET", `/deliveries?event=${event.id}`, undefined, key);
      const flaky = body.data.filter((d) => d.url.endsWith("/flaky"));
      return flaky.some((d) => d.status === 200) && flaky;
    }, "a successful retry");
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(Date.parse(attempts[2]!.at) - Date.parse(attempts[0]!.at)).toBeGreaterThanOrEqual(20 + 40 - 5);
    expect(receiver.deliveries.filter((d) => d.path === "/flaky")).toHaveLength(3);
    await waitFor(async () => (await stripe.events.retrieve(event.id)).pending_webhooks === 0, "pending_webhooks to reach 0");
  });

  it("resends an event on request (the same event three times)", async () => {
    const key = newKey();
    const stripe = sdk(key);
    const customer = await stripe.customers.create({ email: "resend@example.test" });
    const event = (await stripe.events.list({ type: "customer.created" })).data[0]!;
    for (let i = 0; i < 2; i++) expect((await control("POST", `/events/${event.id}/resend`, {}, key)).status).toBe(200);
    const copies = await waitFor(() => {
      const found = receiver.deliveries.filter((d) => d.path === "/default" && d.body.includes(event.id));
      return found.length === 3 && found;
    }, "three deliveries");
    for (const copy of copies)
      expect((stripe.webhooks.constructEvent(copy.body, copy.signature, DEFAULT_SECRET).data.object as Stripe.Customer).id).toBe(
        customer.id,
      );
  });
});

describe("Stripe emulator: refunds", () => {
  it("refunds partly, then fully, updating the charge and emitting charge.refunded", async () => {
    const key = newKey();
    const stripe = sdk(key);
    const session = await paidSession(stripe, key);
    const intent = session.payment_intent as string;

    const partial = await stripe.refunds.create({ payment_intent: intent, amount: 400, reason: "requested_by_customer" });
    expect(partial).toMatchObject({
      object: "refund",
      amount: 400,
      status: "succeeded",
      payment_intent: intent,
      reason: "requested_by_customer",
    });
    let charge = await stripe.charges.retrieve(partial.charge as string);
    expect(charge).toMatchObject({ amount_refunded: 400, refunded: false });
    expect(charge.refunds?.data.map((r) => r.id)).toEqual([partial.id]);

    const tooMuch = await expectStripeError(stripe.refunds.create({ payment_intent: intent, amount: 700 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", param: "amount" });

    const rest = await stripe.refunds.create({ payment_intent: intent });
    expect(rest.amount).toBe(600);
    charge = await stripe.charges.retrieve(charge.id);
    expect(charge).toMatchObject({ amount_refunded: 1000, refunded: true });

    const again = await expectStripeError(stripe.refunds.create({ charge: charge.id }));
    expect(again).toMatchObject({ statusCode: 400, code: "charge_already_refunded" });

    const refunded = (await stripe.events.list({ type: "charge.refunded" })).data;
    expect(refunded.map((e) => (e.data.object as Stripe.Charge).amount_refunded)).toEqual([1000, 400]);
    expect(refunded[1]!.data.previous_attributes).toEqual({ amount_refunded: 0 });
    expect((await stripe.events.list({ type: "refund.created" })).data.map((e) => (e.data.object as Stripe.Refund).id)).toEqual([
      rest.id,
      partial.id,
    ]);
    expect((await stripe.refunds.list({ payment_intent: intent })).data.map((r) => r.id)).toEqual([rest.id, partial.id]);
  });
});

describe("Stripe emulator: events list", () => {
  it("filters by type, types and created, newest first, with cursor pagination", async () => {
    const key = newKey();
    const stripe = sdk(key);
    const customers = [];
    for (let i = 0; i < 5; i++) customers.push(await stripe.customers.create({ email: `e${i}@example.test` }));
    const product = await stripe.products.create({ name: "Events" });

    const all = await stripe.events.list({ limit: 100 });
    expect(all.data.map((e) => e.type)).toEqual(["product.created", ...Array(5).fill("customer.created")]);
    const created = await stripe.events.list({ type: "customer.created", limit: 100 });
    expect(created.data.map((e) => (e.data.object as Stripe.Customer).id)).toEqual(customers.map((c) => c.id).reverse());
    expect((await stripe.events.list({ types: ["product.created"] })).data.map((e) => (e.data.object as Stripe.Product).id)).toEqual([
      product.id,
    ]);
    expect((await stripe.events.list({ type: "customer.*", limit: 100 })).data).toHaveLength(5);

    const page1 = await stripe.events.list({ type: "customer.created", limit: 2 });
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.events.list({ type: "customer.created", limit: 2, starting_after: page1.data[1]!.id });
    const page3 = await stripe.events.list({ type: "customer.created", limit: 2, starting_after: page2.data[1]!.id });
    expect(page3.has_more).toBe(false);
    expect([...page1.data, ...page2.data, ...page3.data].map((e) => e.id)).toEqual(created.data.map((e) => e.id));
    const back = await stripe.events.list({ type: "customer.created", limit: 2, ending_before: page3.data[0]!.id });
    expect(back.data.map((e) => e.id)).toEqual(page2.data.map((e) => e.id));
    expect((await stripe.events.list({ type: "customer.created" }).autoPagingToArray({ limit: 100 })).map((e) => e.id)).toEqual(
      created.data.map((e) => e.id),
    );

    const newest = all.data[0]!.created;
    expect((await stripe.events.list({ created: { gt: newest } })).data).toEqual([]);
    expect((await stripe.events.list({ created: { lte: newest }, limit: 100 })).data).toHaveLength(6);
    const retrieved = await stripe.events.retrieve(all.data[0]!.id);
    expect(retrieved).toMatchObject({ id: all.data[0]!.id, type: "product.created", api_version: expect.any(String) });

    const bad = await expectStripeError(stripe.events.list({ limit: 101 }));
    expect(bad).toMatchObject({ statusCode: 400, param: "limit" });
  });
});

describe("Stripe emulator: hosted pages", () => {
  it("serves the Checkout page; Decline leaves the session open and emits no completion", async () => {
    const stripe = sdk();
    const customer = await stripe.customers.create({ email: "page@example.test", name: "Page Buyer" });
    const session = await newSession(stripe, { customer: customer.id });
    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Pay $10.00");
    expect(html).toContain("1,000 credits");
    expect(html).toContain('value="page@example.test"');
    expect(html).toContain('value="4242 4242 4242 4242"');
    for (const label of ["Card number", "Expiry", "CVC", "Name on card"])
      expect(html).toMatch(new RegExp(`<label for="\\w+">${label}</label>`));
    expect(html).toContain("Test mode — simulated by Creditbook&#39;s Stripe emulator");
    expect(html).toContain('href="http://app.test/billing?checkout=cancelled"');

    const declined = await fetch(session.url!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        action: "decline",
        email: "page@example.test",
        number: "4242 4242 4242 4242",
        expiry: "12/34",
        cvc: "123",
        name: "Page Buyer",
      }),
    });
    expect(declined.status).toBe(200);
    expect(await declined.text()).toMatch(/role="alert">Your card was declined\. Try another card\./);
    const open = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(open).toMatchObject({ status: "open", payment_status: "unpaid" });
    const intent = open.payment_intent as Stripe.PaymentIntent;
    expect(intent.status).toBe("requires_payment_method");
    expect(intent.last_payment_error).toMatchObject({ type: "card_error", code: "card_declined" });
    const events = await stripe.events.list({ types: ["payment_intent.payment_failed", "checkout.session.completed"], limit: 100 });
    const mine = events.data.filter((e) => [intent.id, session.id].includes((e.data.object as { id: string }).id));
    expect(mine.map((e) => e.type)).toEqual(["payment_intent.payment_failed"]);

    // the declining test card also declines with Pay; a good card then pays and redirects to success_url
    const card0002 = await fetch(session.url!, {
      method: "POST",
      body: new URLSearchParams({
        action: "pay",
        email: "page@example.test",
        number: "4000 0000 0000 0002",
        expiry: "12/34",
        cvc: "123",
        name: "x",
      }),
    });
    expect(await card0002.text()).toContain('role="alert"');
    const paid = await fetch(session.url!, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        action: "pay",
        email: "page@example.test",
        number: "4242424242424242",
        expiry: "12/34",
        cvc: "123",
        name: "Page Buyer",
      }),
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.test/billing?session_id=${session.id}`);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
    expect(await (await fetch(session.url!)).text()).toContain("This checkout session is no longer available");
  });

  it("serves the Billing portal page with the customer's payments", async () => {
    const key = newKey();
    const stripe = sdk(key);
    const customer = await stripe.customers.create({ email: "portal@example.test", name: "Portal Person" });
    const session = await newSession(stripe, { customer: customer.id });
    await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" }, key);
    const charge = (await stripe.charges.list({ customer: customer.id })).data[0]!;
    await stripe.refunds.create({ charge: charge.id, amount: 250 });

    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "http://app.test/settings/billing" });
    expect(portal).toMatchObject({
      object: "billing_portal.session",
      customer: customer.id,
      return_url: "http://app.test/settings/billing",
      livemode: false,
      locale: null,
    });
    expect(portal.url).toBe(`${emulator.url}/p/session/${portal.id}`);
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain("<h1>Billing portal</h1>");
    expect(html).toContain("Portal Person");
    expect(html).toContain("portal@example.test");
    expect(html).toContain("1,000 credits");
    expect(html).toContain("$10.00");
    expect(html).toContain("Partially refunded");
    expect(html).toMatch(/href="http:\/\/app\.test\/settings\/billing">.*Return to Creditbook<\/a>/);
  });
});

describe("Stripe emulator: plumbing", () => {
  it("parses Stripe's form encoding (nested objects, indexed and empty-bracket arrays)", () => {
    expect(
      parseForm(
        "line_items[0][price_data][unit_amount]=1000&line_items[0][quantity]=2&line_items[1][price]=price_1&expand[]=a&expand[]=b.c&types[0]=x&metadata[0]=zero&metadata[k]=v%20w&email=a%2Bb%40c.d",
      ),
    ).toEqual({
      line_items: [{ price_data: { unit_amount: "1000" }, quantity: "2" }, { price: "price_1" }],
      expand: ["a", "b.c"],
      types: ["x"],
      metadata: { "0": "zero", k: "v w" },
      email: "a+b@c.d",
    });
  });

  it("keeps its state in the statePath file across restarts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stripe-emulator-"));
    try {
      const statePath = path.join(dir, "state.json");
      const key = newKey();
      const first = await startStripeEmulator({ port: 0, quiet: true, statePath });
      const a = new Stripe(key, { host: "127.0.0.1", port: first.port, protocol: "http", maxNetworkRetries: 0 });
      const customer = await a.customers.create({ email: "kept@example.test" });
      await first.close();
      const second = await startStripeEmulator({ port: 0, quiet: true, statePath });
      try {
        const b = new Stripe(key, { host: "127.0.0.1", port: second.port, protocol: "http", maxNetworkRetries: 0 });
        expect((await b.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ email: "kept@example.test" });
        expect((await b.events.list({ type: "customer.created" })).data).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs as a CLI: one ready line, stops when stdin closes", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/stripe-emulator/main.ts", "--port", "0", "--quiet", "--exit-with-stdin"],
      {
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const line = await waitFor(
        () => /^stripe emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout),
        "the ready line",
        20_000,
      );
      const res = await fetch(`${line[1]}/v1/customers`, { headers: { authorization: `Bearer ${newKey()}` } });
      expect(res.status).toBe(200);
      child.stdin.end();
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
