// HTTP plumbing: authentication (one account per secret key), routing, params, idempotency keys,
// injected faults, expansion, JSON responses and Stripe-shaped errors.
import type http from "node:http";
import { createHash } from "node:crypto";
import { takeFault } from "./control.ts";
import { findRoute, type Ctx, type Emulator, type Route } from "./emulator.ts";
import { authError, idempotencyError, injectedFault, invalidRequest, StripeHttpError, unrecognizedUrl } from "./errors.ts";
import { Expander } from "./expand.ts";
import { fromJson, parseForm, type FormObject } from "./form.ts";
import { newId } from "./ids.ts";
import { Params } from "./params.ts";
import { catchUp } from "./scheduler.ts";
import type { Account } from "./store.ts";

const MAX_BODY = 1024 * 1024;

export type Reply = { status: number; headers: Record<string, string>; body: string };

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body, null, 2) + "\n" };
}

export function errorReply(e: StripeHttpError, headers: Record<string, string> = {}): Reply {
  return jsonReply(e.status, e.body, headers);
}

export async function readBody(req: http.IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw invalidRequest("Request body too large.", { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Form (Stripe's encoding) or, for the control endpoints' convenience, JSON. */
export function parseBody(req: http.IncomingMessage, body: string): FormObject {
  if (!body) return {};
  if (String(req.headers["content-type"] ?? "").includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw invalidRequest("Invalid JSON body.");
    }
    const values = fromJson(parsed);
    if (typeof values !== "object" || Array.isArray(values)) throw invalidRequest("The JSON body must be an object.");
    return values;
  }
  return parseForm(body);
}

const API_KEY_HELP =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/** The secret key of the request: `Authorization: Bearer sk_test_…` (or Basic with the key as user). */
function apiKey(req: http.IncomingMessage): string {
  const header = req.headers.authorization ?? "";
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  let key = "";
  if (/^bearer$/i.test(scheme ?? "")) key = value;
  else if (/^basic$/i.test(scheme ?? "")) key = Buffer.from(value, "base64").toString("utf8").split(":")[0] ?? "";
  if (!key) throw authError(API_KEY_HELP);
  if (!/^(sk|rk)_test_[A-Za-z0-9_-]+$/.test(key)) {
    const masked = key.length > 8 ? `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : key;
    throw authError(`Invalid API Key provided: ${masked}`);
  }
  return key;
}

function fingerprint(method: string, path: string, values: FormObject): string {
  return createHash("sha256")
    .update(JSON.stringify([method, path, values]))
    .digest("hex");
}

/** /v1/… and /_emulator/…: authenticated JSON endpoints. */
export async function handleApi(emu: Emulator, routes: Route[], req: http.IncomingMessage, url: URL): Promise<Reply> {
  const method = req.method ?? "GET";
  const requestId = newId("request");
  const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : null;
  const headers: Record<string, string> = { "request-id": requestId };
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  try {
    const body = await readBody(req);
    const key = apiKey(req);
    const version = typeof req.headers["stripe-version"] === "string" ? req.headers["stripe-version"] : undefined;
    const account = emu.store.account(key, version);
    headers["stripe-version"] = version ?? account.apiVersion;
    catchUp(emu, account);

    const isApi = url.pathname.startsWith("/v1/");
    const fault = isApi ? takeFault(emu, key, method, url.pathname) : undefined;
    if (fault?.status) return errorReply(injectedFault(fault.status), headers);
    let reply: Reply;
    try {
      reply = routeReply(emu, routes, req, url, { account, method, body, isApi, idempotencyKey, requestId, headers });
    } catch (e) {
      if (!(e instanceof StripeHttpError)) throw e;
      reply = errorReply(e, headers);
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    return reply;
  } catch (e) {
    if (e instanceof StripeHttpError) return errorReply(e, headers);
    throw e;
  }
}

type ApiRequest = {
  account: Account;
  method: string;
  body: string;
  isApi: boolean;
  idempotencyKey: string | null;
  requestId: string;
  headers: Record<string, string>;
};

/** The route's answer to an authenticated request (an idempotent replay when the key was seen). */
function routeReply(emu: Emulator, routes: Route[], req: http.IncomingMessage, url: URL, r: ApiRequest): Reply {
  const { account, method, body, isApi, idempotencyKey, requestId, headers } = r;
  const match = findRoute(routes, method, url.pathname);
  if (!match) throw unrecognizedUrl(method, url.pathname);
  const values = method === "POST" ? parseBody(req, body) : parseForm(url.search.slice(1));

  // Idempotency-Key (API POSTs): the same key and params replay the stored answer; other params are refused.
  const idempotent =
    isApi && method === "POST" && idempotencyKey ? { key: idempotencyKey, print: fingerprint(method, url.pathname, values) } : null;
  const replay = idempotent && idempotentReplay(account, idempotent.key, idempotent.print);
  if (replay) return { ...replay, headers: { ...replay.headers, ...headers, "idempotent-replayed": "true" } };

  const params = new Params(values);
  const ctx: Ctx = { emu, account, params, path: match.path, request: { id: requestId, idempotency_key: idempotencyKey } };
  try {
    const reply = answer(match.route, ctx, headers);
    if (idempotent && savedForReplay(reply))
      account.idempotency.set(idempotent.key, { fingerprint: idempotent.print, status: reply.status, body: reply.body });
    return reply;
  } finally {
    // Also after errors: a declined confirmation (402) has changed the payment intent.
    if (method !== "GET") emu.save();
  }
}

/** The handler's answer: its result (expanded), or the card error it ended with. */
function answer(route: Route, ctx: Ctx, headers: Record<string, string>): Reply {
  try {
    return jsonReply(200, new Expander(ctx.emu.store, ctx.account).response(route.handler(ctx), ctx.params.strList("expand")), headers);
  } catch (e) {
    if (e instanceof StripeHttpError && e.status === 402) return errorReply(e, headers);
    throw e;
  }
}

/**
 * Stripe saves an idempotent request's result once the endpoint has started executing: a success, or a
 * card error (402: the payment was attempted, and a retry with the key must not charge again). Requests
 * refused by validation (other 4xx) are not saved, nor are the emulator's injected faults.
 */
function savedForReplay(reply: Reply): boolean {
  return reply.status === 200 || reply.status === 402;
}

function idempotentReplay(account: Account, key: string, print: string): Reply | undefined {
  const saved = account.idempotency.get(key);
  if (!saved) return undefined;
  if (saved.fingerprint !== print)
    throw idempotencyError(
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    );
  return { status: saved.status, headers: { "content-type": "application/json" }, body: saved.body };
}
