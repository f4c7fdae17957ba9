import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "../../scripts/stripe-emulator/index.ts";
import { serveRoute, waitFor } from "./stripe-support";

// Auto top-up in the local Stripe emulator, driven through the official SDK as the app will drive it: a
// card saved with setup-mode Checkout, charged off-session (declines, 3D Secure, idempotent retries),
// disputes, and the event list a reconciliation job pages through when a webhook is lost.
// Every test is its own Stripe account (secret key).

const WEBHOOK_SECRET = "whsec_topup_tests";
let emulator: StripeEmulator;
let receiver: { url: string; close(): Promise<void> };
/** Events delivered to the receiver, verified with the SDK as the app's webhook route verifies them. */
const delivered: Stripe.Event[] = [];

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0, retryBaseMs: 20, quiet: true, webhookSecret: WEBHOOK_SECRET });
  receiver = await serveRoute(async (req) => {
    const event = Stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature") ?? "", WEBHOOK_SECRET);
    delivered.push(event);
    return new Response("{}", { status: 200 });
  });
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

type Reply<T> = { status: number; body: T };

/** A fresh Stripe account with a customer: the SDK and the /_emulator controls. */
async function newAccount() {
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
  const customer = await stripe.customers.create({
    email: `${randomUUID()}@example.test`,
    name: "Top Upper",
    metadata: { workspace_id: "ws_1" },
  });
  return { key, stripe, control, customer };
}
type Account = Awaited<ReturnType<typeof newAccount>>;

/** A setup-mode Checkout Session for the account's customer, as the app creates one to save a card. */
function setupSession(account: Account) {
  return account.stripe.checkout.sessions.create({
    mode: "setup",
    customer: account.customer.id,
    currency: "usd",
    success_url: "http://app.test/settings/billing?setup=success&session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/settings/billing?setup=cancelled",
    metadata: { workspace_id: "ws_1", purpose: "auto_topup" },
  });
}

/** Saves a card through setup-mode Checkout (the control endpoint); returns the payment method id. */
async function saveCard(account: Account, paymentMethod?: string): Promise<string> {
  const session = await setupSession(account);
  const saved = await account.control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, {
    outcome: "succeeded",
    payment_method: paymentMethod,
  });
  expect(saved.status).toBe(200);
  const intent = await account.stripe.setupIntents.retrieve(saved.body.setup_intent as string);
  return intent.payment_method as string;
}

/** An off-session top-up charge, as the app makes it. */
function topUp(account: Account, paymentMethod: string, idempotencyKey: string = randomUUID(), amount = 2000) {
  return account.stripe.paymentIntents.create(
    {
      amount,
      currency: "usd",
      customer: account.customer.id,
      payment_method: paymentMethod,
      off_session: true,
      confirm: true,
      metadata: { workspace_id: "ws_1", kind: "auto_topup" },
      description: "Auto top-up: 2,000 credits",
    },
    { idempotencyKey },
  );
}

async function expectStripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
}

/** The types of the account's events about object `id`, oldest first. */
async function eventTypesFor(stripe: Stripe, id: string): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
  return events
    .filter((e) => (e.data.object as { id?: string }).id === id)
    .map((e) => e.type)
    .reverse();
}

/** Posts the hosted page's card form with `number`. */
function submitCard(url: string, action: "pay" | "decline", number: string) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ action, email: "card@example.test", number, expiry: "12/34", cvc: "123", name: "Top Upper" }),
  });
}

describe("Stripe emulator: saving a card with setup-mode Checkout", () => {
  it("creates a SetupIntent and attaches the card to the customer, with Stripe's events", async () => {
    const account = await newAccount();
    const { stripe, customer } = account;
    const session = await setupSession(account);
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "setup",
      status: "open",
      currency: "usd",
      customer: customer.id,
      payment_status: "no_payment_required",
      amount_total: null,
      setup_intent: null,
      payment_method_types: ["card"],
      metadata: { workspace_id: "ws_1", purpose: "auto_topup" },
    });

    const { body: completed } = await account.control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, {
      outcome: "succeeded",
    });
    expect(completed).toMatchObject({
      status: "complete",
      payment_status: "no_payment_required",
      customer: customer.id,
      url: null,
      payment_intent: null,
    });
    expect(completed.setup_intent).toMatch(/^seti_/);

    const intent = await stripe.setupIntents.retrieve(completed.setup_intent as string, { expand: ["payment_method"] });
    expect(intent).toMatchObject({
      object: "setup_intent",
      status: "succeeded",
      usage: "off_session",
      customer: customer.id,
      last_setup_error: null,
      livemode: false,
    });
    const pm = intent.payment_method as Stripe.PaymentMethod;
    expect(pm).toMatchObject({ object: "payment_method", type: "card", customer: customer.id, card: { brand: "visa", last4: "4242" } });
    expect(pm.id).toMatch(/^pm_/);
    expect((await stripe.paymentMethods.retrieve(pm.id)).customer).toBe(customer.id);
    expect((await stripe.paymentMethods.list({ customer: customer.id, type: "card" })).data.map((m) => m.id)).toEqual([pm.id]);
    expect((await stripe.setupIntents.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([intent.id]);

    // the events, in Stripe's order, and the session's completion carrying its setup intent
    expect(await eventTypesFor(stripe, intent.id)).toEqual(["setup_intent.created", "setup_intent.succeeded"]);
    const all = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type).reverse();
    expect(all.slice(all.indexOf("setup_intent.created"))).toEqual([
      "setup_intent.created",
      "payment_method.attached",
      "setup_intent.succeeded",
      "checkout.session.completed",
    ]);
    const completion = (await stripe.events.list({ type: "checkout.session.completed" })).data[0]!;
    expect(completion.data.object).toMatchObject({ id: session.id, setup_intent: intent.id, status: "complete" });

    // the app then makes it the default payment method
    const updated = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    expect(updated.invoice_settings.default_payment_method).toBe(pm.id);
  });

  it("requires a currency in setup mode when no payment method types are listed", async () => {
    const account = await newAccount();
    const error = await expectStripeError(
      account.stripe.checkout.sessions.create({ mode: "setup", customer: account.customer.id, success_url: "http://app.test/ok" }),
    );
    expect(error).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", code: "parameter_missing", param: "currency" });
  });

  it("leaves the session open when the card is declined at setup; another card then completes it", async () => {
    const account = await newAccount();
    const session = await setupSession(account);
    const declined = await account.control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, {
      outcome: "succeeded",
      payment_method: "pm_card_chargeDeclined",
    });
    expect(declined.body).toMatchObject({ status: "open" });
    const intentId = declined.body.setup_intent as string;
    expect(await account.stripe.setupIntents.retrieve(intentId)).toMatchObject({
      status: "requires_payment_method",
      payment_method: null,
      last_setup_error: { type: "card_error", code: "card_declined", decline_code: "generic_decline" },
    });
    expect((await account.stripe.paymentMethods.list({ customer: account.customer.id })).data).toEqual([]);

    const saved = await account.control<Stripe.Checkout.Session>("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
    expect(saved.body).toMatchObject({ status: "complete", setup_intent: intentId });
    expect(await eventTypesFor(account.stripe, intentId)).toEqual([
      "setup_intent.created",
      "setup_intent.setup_failed",
      "setup_intent.succeeded",
    ]);
  });

  it("serves the hosted setup page with a Save card button; the page's card form saves the card", async () => {
    const account = await newAccount();
    const session = await setupSession(account);
    const html = await (await fetch(session.url!)).text();
    expect(html).toMatch(/<button class="primary" type="submit" name="action" value="pay">Save card<\/button>/);
    expect(html).toContain("Set up future payments");
    expect(html).toContain("No charge today");
    expect(html).toContain(`value="${account.customer.email}"`);
    for (const label of ["Card number", "Expiry", "CVC", "Name on card"])
      expect(html).toMatch(new RegExp(`<label for="\\w+">${label}</label>`));
    expect(html).not.toContain("Bank transfer");
    expect(html).not.toContain("Total due today");

    const refused = await submitCard(session.url!, "pay", "4000 0000 0000 0002");
    expect(await refused.text()).toMatch(/role="alert">Your card was declined\. Try another card\./);
    expect((await account.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

    const saved = await submitCard(session.url!, "pay", "4242 4242 4242 4242");
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`http://app.test/settings/billing?setup=success&session_id=${session.id}`);
    const completed = await account.stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent.payment_method"] });
    const intent = completed.setup_intent as Stripe.SetupIntent;
    expect(intent.status).toBe("succeeded");
    expect(intent.payment_method).toMatchObject({
      customer: account.customer.id,
      card: { last4: "4242" },
      billing_details: { name: "Top Upper" },
    });
  });
});

describe("Stripe emulator: off-session charges", () => {
  it("charges the saved card off-session", async () => {
    const account = await newAccount();
    const pm = await saveCard(account);
    const key = randomUUID();
    const intent = await topUp(account, pm, key);
    expect(intent).toMatchObject({
      status: "succeeded",
      amount: 2000,
      amount_received: 2000,
      customer: account.customer.id,
      payment_method: pm,
      description: "Auto top-up: 2,000 credits",
      metadata: { workspace_id: "ws_1", kind: "auto_topup" },
      last_payment_error: null,
    });
    const charge = await account.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({
      status: "succeeded",
      paid: true,
      amount: 2000,
      payment_method: pm,
      customer: account.customer.id,
      disputed: false,
    });

    const events = (await account.stripe.events.list({ types: ["payment_intent.succeeded", "charge.succeeded"] })).data;
    expect(events.map((e) => [e.type, (e.data.object as { id: string }).id])).toEqual([
      ["payment_intent.succeeded", intent.id],
      ["charge.succeeded", charge.id],
    ]);
    expect(events[0]!.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: key });
  });

  it("answers a declined card with a 402 StripeCardError carrying the PaymentIntent, and replays it for the same idempotency key", async () => {
    const account = await newAccount();
    const pm = await saveCard(account, "pm_card_chargeCustomerFail"); // Stripe's …0341: saved, its charges fail
    const key = randomUUID();
    const error = await expectStripeError(topUp(account, pm, key));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({
      statusCode: 402,
      type: "StripeCardError",
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
    });
    expect(error.payment_intent).toMatchObject({
      object: "payment_intent",
      status: "requires_payment_method",
      customer: account.customer.id,
      last_payment_error: { code: "card_declined" },
    });
    expect(error.payment_method).toMatchObject({ id: pm, customer: account.customer.id });
    const intentId = error.payment_intent!.id;
    expect(await eventTypesFor(account.stripe, intentId)).toEqual(["payment_intent.created", "payment_intent.payment_failed"]);
    const failedCharge = await account.stripe.charges.retrieve((error.raw as { charge: string }).charge);
    expect(failedCharge).toMatchObject({ status: "failed", failure_code: "card_declined", payment_intent: intentId });
    expect(await eventTypesFor(account.stripe, failedCharge.id)).toEqual(["charge.failed"]);

    // A retry with the key gets the first answer — the same 402, not a second attempt.
    const replayed = await expectStripeError(topUp(account, pm, key));
    expect(replayed).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" });
    expect(replayed.payment_intent?.id).toBe(intentId);
    expect(replayed.headers?.["idempotent-replayed"]).toBe("true");
    expect((await account.stripe.paymentIntents.list({ customer: account.customer.id })).data.map((pi) => pi.id)).toEqual([intentId]);
    expect((await account.stripe.charges.list({ customer: account.customer.id })).data).toHaveLength(1);

    const conflict = await expectStripeError(topUp(account, pm, key, 5000));
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("fails with authentication_required off-session when the issuer asks for 3D Secure", async () => {
    const account = await newAccount();
    // Stripe's …3184 asks for authentication on every payment, even once set up.
    const always = await saveCard(account, "pm_card_authenticationRequired");
    const error = await expectStripeError(topUp(account, always));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, code: "authentication_required", decline_code: "authentication_required" });
    expect(error.payment_intent).toMatchObject({
      status: "requires_payment_method",
      last_payment_error: { code: "authentication_required" },
    });

    // …3155 asks unless it was set up for future payments: attached through the API it fails off-session…
    const attached = await account.stripe.customers.update(account.customer.id, {
      invoice_settings: { default_payment_method: "pm_card_authenticationRequiredOnSetup" },
    });
    const notSetUp = await expectStripeError(topUp(account, attached.invoice_settings.default_payment_method as string));
    expect(notSetUp).toMatchObject({ statusCode: 402, code: "authentication_required" });

    // …but saved through the hosted setup page (the customer authenticates there), it charges off-session.
    const session = await setupSession(account);
    expect((await submitCard(session.url!, "pay", "4000 0025 0000 3155")).status).toBe(303);
    const setUp = await account.stripe.setupIntents.retrieve(
      (await account.stripe.checkout.sessions.retrieve(session.id)).setup_intent as string,
    );
    expect((await topUp(account, setUp.payment_method as string)).status).toBe("succeeded");
  });
});

describe("Stripe emulator: disputes", () => {
  it("opens a dispute on a charge and closes it won, with the funds withdrawn and reinstated", async () => {
    const account = await newAccount();
    const { stripe } = account;
    const intent = await topUp(account, await saveCard(account));
    const chargeId = intent.latest_charge as string;

    const opened = await account.control<Stripe.Dispute>("POST", `/charges/${chargeId}/dispute`, {
      amount: 1500,
      reason: "product_not_received",
    });
    expect(opened.status).toBe(200);
    const dispute = opened.body;
    expect(dispute.id).toMatch(/^du_/);
    expect(dispute).toMatchObject({
      object: "dispute",
      status: "needs_response",
      amount: 1500,
      currency: "usd",
      charge: chargeId,
      payment_intent: intent.id,
      reason: "product_not_received",
      is_charge_refundable: false,
      evidence_details: { has_evidence: false, past_due: false, submission_count: 0 },
      balance_transactions: [{ object: "balance_transaction", amount: -1500, fee: 1500, net: -3000, reporting_category: "dispute" }],
    });
    expect(dispute.evidence_details.due_by).toBeGreaterThan(dispute.created);
    expect(dispute.evidence.customer_email_address).toBeNull();
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(true);
    expect(await stripe.disputes.retrieve(dispute.id)).toEqual(dispute);
    expect((await stripe.disputes.list({ charge: chargeId })).data.map((d) => d.id)).toEqual([dispute.id]);
    expect((await stripe.disputes.list({ payment_intent: intent.id })).data.map((d) => d.id)).toEqual([dispute.id]);
    expect((await stripe.disputes.list({ charge: "ch_other" })).data).toEqual([]);

    // a charged-back charge can no longer be refunded, nor disputed twice
    const refund = await expectStripeError(stripe.refunds.create({ payment_intent: intent.id }));
    expect(refund).toMatchObject({ statusCode: 400, code: "charge_disputed" });
    expect((await account.control("POST", `/charges/${chargeId}/dispute`, {})).status).toBe(400);

    const won = await account.control<Stripe.Dispute>("POST", `/disputes/${dispute.id}/close`, { outcome: "won" });
    expect(won.body).toMatchObject({
      status: "won",
      balance_transactions: [{ amount: -1500 }, { amount: 1500, fee: -1500, net: 3000, reporting_category: "dispute_reversal" }],
    });
    expect(await eventTypesFor(stripe, dispute.id)).toEqual([
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.closed",
      "charge.dispute.funds_reinstated",
    ]);
    const closed = (await stripe.events.list({ type: "charge.dispute.closed" })).data[0]!;
    expect(closed.data.object).toMatchObject({ id: dispute.id, status: "won" });
    expect(closed.data.previous_attributes).toEqual({ status: "needs_response" });
  });

  it("closes a dispute lost — through the control endpoint or by accepting it with the API", async () => {
    const account = await newAccount();
    const { stripe } = account;
    const pm = await saveCard(account);
    const first = await topUp(account, pm);
    const { body: dispute } = await account.control<Stripe.Dispute>("POST", `/charges/${first.latest_charge as string}/dispute`, {});
    expect(dispute).toMatchObject({ amount: 2000, reason: "fraudulent", status: "needs_response" });
    const lost = await account.control<Stripe.Dispute>("POST", `/disputes/${dispute.id}/close`, { outcome: "lost" });
    expect(lost.body.status).toBe("lost");
    expect(lost.body.balance_transactions).toHaveLength(1);
    expect(await eventTypesFor(stripe, dispute.id)).toEqual([
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.closed",
    ]);
    const again = await account.control<{ error: { message: string } }>("POST", `/disputes/${dispute.id}/close`, { outcome: "won" });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/already closed/);

    const second = await topUp(account, pm);
    const { body: other } = await account.control<Stripe.Dispute>("POST", `/charges/${second.latest_charge as string}/dispute`, {
      reason: "duplicate",
    });
    expect((await stripe.disputes.close(other.id)).status).toBe("lost");
    expect((await stripe.disputes.list()).data.map((d) => [d.id, d.status])).toEqual([
      [other.id, "lost"],
      [dispute.id, "lost"],
    ]);
  });
});

describe("Stripe emulator: reconciliation", () => {
  it("drops the next deliveries on request: recorded as dropped, never retried, the event still listed", async () => {
    const account = await newAccount();
    await account.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["payment_intent.succeeded", "charge.succeeded"] });
    const pm = await saveCard(account);
    const drop = await account.control("POST", "/webhooks/drop", { count: 1, type: "payment_intent.succeeded" });
    expect(drop).toEqual({ status: 200, body: { object: "emulator.webhook_drop", count: 1, type: "payment_intent.succeeded" } });

    const lost = await topUp(account, pm);
    const kept = await topUp(account, pm);
    const ids = (e: Stripe.Event) => (e.data.object as { id: string }).id;
    // the second top-up's event arrives, and so do both charges' events: only the one delivery was lost
    await waitFor(async () => delivered.some((e) => e.type === "payment_intent.succeeded" && ids(e) === kept.id), "the kept delivery");
    await waitFor(
      async () =>
        delivered.filter((e) => e.type === "charge.succeeded" && [lost.latest_charge, kept.latest_charge].includes(ids(e))).length === 2,
      "both charge deliveries",
    );
    expect(delivered.filter((e) => ids(e) === lost.id)).toEqual([]);

    const lostEvent = (await account.stripe.events.list({ type: "payment_intent.succeeded" })).data.find((e) => ids(e) === lost.id)!;
    expect(lostEvent).toBeDefined(); // what reconciliation finds
    type Attempt = { event: string; attempt: number; status: number | null; outcome: string };
    const { body } = await account.control<{ data: Attempt[] }>("GET", `/deliveries?event=${lostEvent.id}`);
    expect(body.data.map((d) => [d.attempt, d.status, d.outcome])).toEqual([[1, null, "dropped"]]);
    // the kept event's delivery, recorded after the drop, shows nothing was scheduled for the lost one
    const keptEvent = (await account.stripe.events.list({ type: "payment_intent.succeeded" })).data.find((e) => ids(e) === kept.id)!;
    await waitFor(
      async () =>
        (await account.control<{ data: Attempt[] }>("GET", `/deliveries?event=${keptEvent.id}`)).body.data.some(
          (d) => d.outcome === "delivered",
        ),
      "the kept delivery record",
    );
    expect((await account.control<{ data: Attempt[] }>("GET", `/deliveries?event=${lostEvent.id}`)).body.data).toHaveLength(1);
    expect((await account.stripe.events.retrieve(lostEvent.id)).pending_webhooks).toBe(1);
  });

  it("pages through more than 100 events both ways, newest first, with every top-up event type", async () => {
    const account = await newAccount();
    const { stripe } = account;
    const { body: clock } = await account.control<{ now: number }>("GET", "/clock");
    const since = clock.now - 1;
    const pm = await saveCard(account);
    await stripe.customers.update(account.customer.id, { invoice_settings: { default_payment_method: pm } });
    const paid = await topUp(account, pm);
    await expectStripeError(topUp(account, await saveCard(account, "pm_card_chargeCustomerFail")));
    const { body: dispute } = await account.control<Stripe.Dispute>("POST", `/charges/${paid.latest_charge as string}/dispute`, {});
    await account.control("POST", `/disputes/${dispute.id}/close`, { outcome: "won" });
    for (let i = 0; i < 110; i++) await stripe.customers.create({ email: `bulk${i}@example.test` });

    const forward: Stripe.Event[] = [];
    let page: Stripe.ApiList<Stripe.Event> | undefined;
    do {
      page = await stripe.events.list({ created: { gt: since }, limit: 100, ...(page ? { starting_after: page.data.at(-1)!.id } : {}) });
      forward.push(...page.data);
    } while (page.has_more);
    expect(forward.length).toBeGreaterThan(125);
    expect(new Set(forward.map((e) => e.id)).size).toBe(forward.length);
    expect(forward.every((e, i) => i === 0 || e.created <= forward[i - 1]!.created)).toBe(true);
    expect(forward[0]!.type).toBe("customer.created");
    expect((forward[0]!.data.object as Stripe.Customer).email).toBe("bulk109@example.test");
    const types = new Set(forward.map((e) => e.type));
    for (const type of [
      "setup_intent.created",
      "setup_intent.succeeded",
      "payment_method.attached",
      "checkout.session.completed",
      "customer.updated",
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "payment_intent.payment_failed",
      "charge.failed",
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.closed",
      "charge.dispute.funds_reinstated",
    ])
      expect(types, type).toContain(type);

    // backwards from the oldest: ending_before gives the newer neighbours, still newest first
    const backward: Stripe.Event[] = [];
    let cursor = forward.at(-1)!.id;
    for (;;) {
      const before = await stripe.events.list({ created: { gt: since }, limit: 100, ending_before: cursor });
      backward.unshift(...before.data);
      if (!before.has_more) break;
      cursor = before.data[0]!.id;
    }
    expect([...backward, forward.at(-1)!].map((e) => e.id)).toEqual(forward.map((e) => e.id));
    // the SDK's auto-pagination agrees
    expect((await stripe.events.list({ created: { gt: since }, limit: 100 }).autoPagingToArray({ limit: 1000 })).map((e) => e.id)).toEqual(
      forward.map((e) => e.id),
    );
  });
});
