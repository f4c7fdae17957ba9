// Test controls, not part of Stripe's API: under /_emulator, authenticated like the API (the Bearer key
// names the account, and every control acts on that account only). JSON or form bodies.
import { invalidParam, missingParam, noSuch } from "./errors.ts";
import { route, takeRule, type Emulator, type Fault, type Route } from "./emulator.ts";
import { payCheckoutSession, settlePayment } from "./flows.ts";
import { listOf } from "./list.ts";
import { closeDispute, DISPUTE_REASONS, openDispute } from "./resources/disputes.ts";
import { defaultPaymentMethodOf, saveCard, setDefaultPaymentMethod, TEST_PAYMENT_METHODS } from "./resources/payment-methods.ts";
import { catchUp } from "./scheduler.ts";
import type { Account } from "./store.ts";

function clockInfo(account: Account) {
  const now = account.clock.now();
  return {
    object: "emulator.clock",
    now,
    now_iso: new Date(now * 1000).toISOString(),
    offset_seconds: Math.round(account.clock.offset / 1000),
  };
}

export const controlRoutes: Route[] = [
  // Pays a payment or subscription session, or saves the card of a setup session (`declined`: refused at setup).
  route("POST", "/_emulator/checkout/sessions/:id/pay", ({ emu, account, path, params }) => {
    params.allowOnly(["outcome", "email", "name", "payment_method"]);
    const outcome = params.oneOf("outcome", ["succeeded", "declined", "async"] as const) ?? "succeeded";
    const session = emu.store.find(account, "checkout.session", path.id!);
    // payment_method: a test id, e.g. pm_card_chargeCustomerFail (Stripe's …0341: attaches, charges fail).
    const pmId = params.str("payment_method");
    const card = pmId === undefined ? undefined : TEST_PAYMENT_METHODS[pmId];
    if (pmId !== undefined && !card) throw noSuch("payment_method", pmId, "payment_method");
    return payCheckoutSession(emu, account, session, { outcome, email: params.str("email"), name: params.str("name"), card }).session;
  }),
  // From now on the customer's card on file (its default payment method; a Visa is attached when there is
  // none) succeeds or declines every charge, as when a real card expires or is replaced.
  route("POST", "/_emulator/customers/:id/card", (ctx) => {
    const { emu, account, path, params } = ctx;
    params.allowOnly(["outcome"]);
    const outcome = params.oneOf("outcome", ["succeeds", "declines"] as const);
    if (!outcome) throw missingParam("outcome");
    const customer = emu.store.find(account, "customer", path.id!);
    let pm = defaultPaymentMethodOf(account, emu, customer);
    if (!pm) {
      pm = saveCard(ctx, TEST_PAYMENT_METHODS.pm_card_visa!, { customer, email: customer.email, name: customer.name, setUp: true });
      setDefaultPaymentMethod(ctx, customer, pm);
    }
    if (outcome === "declines") account.failingPaymentMethods.set(pm.id, "generic_decline");
    else account.failingPaymentMethods.delete(pm.id);
    return { object: "emulator.card", customer: customer.id, payment_method: pm.id, outcome };
  }),
  route("POST", "/_emulator/payment_intents/:id/settle", ({ emu, account, path, params }) => {
    params.allowOnly(["outcome"]);
    const outcome = params.oneOf("outcome", ["succeeded", "failed"] as const);
    if (!outcome) throw missingParam("outcome");
    return settlePayment(emu, account, emu.store.find(account, "payment_intent", path.id!), outcome);
  }),
  // The cardholder disputes a charge (a chargeback that needs a response), then the network decides it.
  route("POST", "/_emulator/charges/:id/dispute", (ctx) => {
    const { emu, account, path, params } = ctx;
    params.allowOnly(["amount", "reason"]);
    const charge = emu.store.find(account, "charge", path.id!);
    return openDispute(ctx, charge, { amount: params.int("amount"), reason: params.oneOf("reason", DISPUTE_REASONS) });
  }),
  route("POST", "/_emulator/disputes/:id/close", (ctx) => {
    const { emu, account, path, params } = ctx;
    params.allowOnly(["outcome"]);
    const outcome = params.oneOf("outcome", ["won", "lost"] as const);
    if (!outcome) throw missingParam("outcome");
    return closeDispute(ctx, emu.store.find(account, "dispute", path.id!), outcome);
  }),
  route("POST", "/_emulator/events/:id/resend", ({ emu, account, path }) => {
    const event = emu.store.find(account, "event", path.id!);
    emu.webhooks.dispatch(account, event);
    return event;
  }),
  // The next `count` deliveries (one per event and endpoint; of events of `type` — exact, or `charge.*` —
  // when given) are lost on the way: recorded as dropped, never retried. The events stay in /v1/events.
  route("POST", "/_emulator/webhooks/drop", ({ emu, account, params }) => {
    params.allowOnly(["count", "type"]);
    const count = params.int("count", { min: 1 });
    if (count === undefined) throw missingParam("count");
    return emu.webhooks.dropNext(account, count, params.str("type"));
  }),
  route("GET", "/_emulator/deliveries", ({ emu, account, params }) => {
    params.allowOnly(["event"]);
    return listOf(emu.webhooks.deliveriesOf(account, params.str("event")), "/_emulator/deliveries");
  }),
  route("POST", "/_emulator/faults", ({ emu, account, params }) => {
    params.allowOnly(["method", "path", "status", "delay_ms", "count"]);
    const method = (params.str("method") ?? "POST").toUpperCase();
    if (!["GET", "POST", "DELETE"].includes(method)) throw invalidParam("method", "method must be GET, POST or DELETE.");
    const path = params.requireStr("path");
    if (!path.startsWith("/v1/")) throw invalidParam("path", "Faults apply to API paths (/v1/…); end with * to match a prefix.");
    const delayMs = params.int("delay_ms", { min: 0, max: 30_000 }) ?? 0;
    const fault = {
      method,
      path,
      // delay_ms alone: a slow answer, not an error.
      status: params.int("status", { min: 400, max: 599 }) ?? (delayMs > 0 ? null : 500),
      delayMs,
      remaining: params.int("count", { min: 1 }) ?? 1,
    };
    emu.faults.set(account.key, [...(emu.faults.get(account.key) ?? []), fault]);
    return { object: "emulator.fault", ...fault };
  }),
  // The faults still waiting for their requests (a test sees when a slowed request has arrived).
  route("GET", "/_emulator/faults", ({ emu, account }) => ({
    object: "list",
    data: (emu.faults.get(account.key) ?? []).map((f) => ({ object: "emulator.fault", ...f })),
  })),
  route("DELETE", "/_emulator/faults", ({ emu, account }) => {
    emu.faults.delete(account.key);
    return { object: "emulator.faults", deleted: true };
  }),
  // The account's clock; moving it forward runs the billing work due meanwhile, boundary by boundary.
  route("GET", "/_emulator/clock", ({ account }) => clockInfo(account)),
  route("POST", "/_emulator/clock", ({ emu, account, params }) => {
    params.allowOnly(["advance_seconds", "now"]);
    const advance = params.int("advance_seconds");
    const now = params.int("now", { min: 0 });
    if (advance === undefined && now === undefined) throw missingParam("advance_seconds");
    if (now !== undefined) account.clock.set(now);
    if (advance !== undefined) account.clock.advance(advance);
    catchUp(emu, account);
    return clockInfo(account);
  }),
];

/** The injected fault for this request, if any (and counts it down). */
export function takeFault(emu: Emulator, key: string, method: string, path: string): Fault | undefined {
  return takeRule(
    emu.faults,
    key,
    (f) => f.method === method && (f.path.endsWith("*") ? path.startsWith(f.path.slice(0, -1)) : f.path === path),
  );
}
