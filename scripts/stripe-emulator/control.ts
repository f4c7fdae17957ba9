// Test controls, not part of Stripe's API: under /_emulator, authenticated like the API (the Bearer key
// names the account). JSON or form bodies.
import { invalidParam, missingParam } from "./errors.ts";
import { route, type Emulator, type Route } from "./emulator.ts";
import { payCheckoutSession, settlePayment } from "./flows.ts";
import { listOf } from "./list.ts";
import { expireDueSessions } from "./resources/checkout-sessions.ts";

function clockInfo(emu: Emulator) {
  const now = emu.clock.now();
  return { object: "emulator.clock", now, now_iso: new Date(now * 1000).toISOString(), offset_seconds: Math.round(emu.clock.offset / 1000) };
}

export const controlRoutes: Route[] = [
  route("POST", "/_emulator/checkout/sessions/:id/pay", ({ emu, account, path, params }) => {
    params.allowOnly(["outcome", "email", "name"]);
    const outcome = params.oneOf("outcome", ["succeeded", "declined", "async"] as const) ?? "succeeded";
    const session = emu.store.find(account, "checkout.session", path.id!);
    return payCheckoutSession(emu, account, session, { outcome, email: params.str("email"), name: params.str("name") });
  }),
  route("POST", "/_emulator/payment_intents/:id/settle", ({ emu, account, path, params }) => {
    params.allowOnly(["outcome"]);
    const outcome = params.oneOf("outcome", ["succeeded", "failed"] as const);
    if (!outcome) throw missingParam("outcome");
    return settlePayment(emu, account, emu.store.find(account, "payment_intent", path.id!), outcome);
  }),
  route("POST", "/_emulator/events/:id/resend", ({ emu, account, path }) => {
    const event = emu.store.find(account, "event", path.id!);
    emu.webhooks.dispatch(account, event);
    return event;
  }),
  route("GET", "/_emulator/deliveries", ({ emu, account, params }) => {
    params.allowOnly(["event"]);
    return listOf(emu.webhooks.deliveriesOf(account, params.str("event")), "/_emulator/deliveries");
  }),
  route("POST", "/_emulator/faults", ({ emu, account, params }) => {
    params.allowOnly(["method", "path", "status", "count"]);
    const method = (params.str("method") ?? "POST").toUpperCase();
    if (!["GET", "POST", "DELETE"].includes(method)) throw invalidParam("method", "method must be GET, POST or DELETE.");
    const path = params.requireStr("path");
    if (!path.startsWith("/v1/")) throw invalidParam("path", "Faults apply to API paths (/v1/…); end with * to match a prefix.");
    const fault = { method, path, status: params.int("status", { min: 400, max: 599 }) ?? 500, remaining: params.int("count", { min: 1 }) ?? 1 };
    emu.faults.set(account.key, [...(emu.faults.get(account.key) ?? []), fault]);
    return { object: "emulator.fault", ...fault };
  }),
  route("DELETE", "/_emulator/faults", ({ emu, account }) => {
    emu.faults.delete(account.key);
    return { object: "emulator.faults", deleted: true };
  }),
  route("GET", "/_emulator/clock", ({ emu }) => clockInfo(emu)),
  route("POST", "/_emulator/clock", ({ emu, params }) => {
    params.allowOnly(["advance_seconds", "now"]);
    const advance = params.int("advance_seconds");
    const now = params.int("now", { min: 0 });
    if (advance === undefined && now === undefined) throw missingParam("advance_seconds");
    if (now !== undefined) emu.clock.set(now);
    if (advance !== undefined) emu.clock.advance(advance);
    for (const account of emu.store.accounts.values()) expireDueSessions(emu, account);
    return clockInfo(emu);
  }),
];

/** The injected fault for this request, if any (and counts it down). */
export function takeFault(emu: Emulator, key: string, method: string, path: string): number | undefined {
  const faults = emu.faults.get(key) ?? [];
  const fault = faults.find((f) => f.method === method && (f.path.endsWith("*") ? path.startsWith(f.path.slice(0, -1)) : f.path === path));
  if (!fault) return undefined;
  fault.remaining--;
  if (fault.remaining <= 0) emu.faults.set(key, faults.filter((f) => f !== fault));
  return fault.status;
}
