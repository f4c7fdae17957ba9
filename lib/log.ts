import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { format } from "node:util";
import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * Structured logs: one JSON object per line on stdout (pino), each line of a request carrying that
 * request's id.
 *
 * The server (scripts/server.mjs) gives every request an id (the caller's `X-Request-Id` when it is
 * sane, else a new UUID), answers it in the `X-Request-Id` header and runs the request inside
 * `withRequestId`, so anything logged while handling it — our code, Next.js, a library — gets
 * `request_id` through AsyncLocalStorage. The server loads this file itself and Next.js bundles its own
 * copy, so the state lives on `globalThis` under one symbol: both copies share one context and one
 * logger.
 */
type RequestContext = {
  requestId: string;
  /** The request's raw body stream, for the metering hot path's routes (lib/api/body.ts readJsonFrom). */
  body?: Readable;
  /** Gives the request's admission slot back while it waits (lib/metering/admission.ts). */
  yieldTurn?: () => void;
};
/** What the server hands a request's handlers beside its id. */
export type RequestHandover = Omit<RequestContext, "requestId">;
type Shared = { context: AsyncLocalStorage<RequestContext>; logger?: Logger; consoleBridged?: boolean };

const KEY = Symbol.for("creditbook.log");

function shared(): Shared {
  const g = globalThis as typeof globalThis & { [KEY]?: Shared };
  return (g[KEY] ??= { context: new AsyncLocalStorage<RequestContext>() });
}

type Level = "debug" | "info" | "warn" | "error";

/** The process's logger, at LOG_LEVEL. */
export function logger(): Logger {
  const state = shared();
  return (state.logger ??= pino({
    level: env.LOG_LEVEL,
    base: { service: "creditbook", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const context = state.context.getStore();
      return context ? { request_id: context.requestId } : {};
    },
  }));
}

/**
 * Runs `fn` as part of the request `requestId`: every line logged inside carries it. The server also
 * hands over, for the metering hot path, the request's Node body stream (see takeRequestBody) and its
 * admission slot (see yieldAdmissionTurn).
 */
export function withRequestId<T>(requestId: string, fn: () => T, handover?: RequestHandover): T {
  return shared().context.run(handover ? { requestId, ...handover } : { requestId }, fn);
}

/**
 * The request being handled waits on something shared (its workspace's round trip): its admission slot
 * may go to the next call meanwhile, so that call is parsed and joins the next batch. Once per request;
 * nothing outside the server's admission.
 */
export function yieldAdmissionTurn(): void {
  const context = shared().context.getStore();
  const yieldTurn = context?.yieldTurn;
  if (!yieldTurn) return;
  context.yieldTurn = undefined;
  yieldTurn();
}

/**
 * The raw body stream the server handed over for the request being handled, once (then undefined): the
 * hot path reads it directly instead of through the Request's web stream, which costs a debit several
 * promise hops per chunk (docs/performance.md, issue 20's third slice).
 */
export function takeRequestBody(): Readable | undefined {
  const context = shared().context.getStore();
  const body = context?.body;
  if (context) context.body = undefined;
  return body;
}

export function currentRequestId(): string | undefined {
  return shared().context.getStore()?.requestId;
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id (a load balancer's or the AI product's) when it is sane, else a new one. */
export function requestIdFrom(header: string | string[] | undefined | null): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_ID.test(value) ? value : randomUUID();
}

/**
 * Sends console.* through the logger, so the lines Next.js and libraries print are JSON with the
 * request id too. An Error among the arguments becomes pino's `err` (message, type, stack).
 */
export function bridgeConsole(): void {
  const state = shared();
  if (state.consoleBridged) return;
  state.consoleBridged = true;
  const log = logger();
  const levels: Array<[keyof Console & ("log" | "info" | "warn" | "error" | "debug"), Level]> = [
    ["log", "info"],
    ["info", "info"],
    ["debug", "debug"],
    ["warn", "warn"],
    ["error", "error"],
  ];
  for (const [method, level] of levels) {
    console[method] = (...args: unknown[]) => {
      const err = args.find((a): a is Error => a instanceof Error);
      const rest = args.filter((a) => a !== err);
      const msg = rest.length > 0 ? format(...rest) : (err?.message ?? "");
      if (err) log[level]({ err }, msg);
      else log[level](msg);
    };
  }
}

// Paths whose last segment is a secret (a billing link's single-use token): logged without it.
const SECRET_PATHS = /^\/(portal|embed)\/(?!return$)[^/]+$/;

/** The request path as the request log writes it: a billing link's token becomes "[token]". */
export function loggablePath(path: string): string {
  return SECRET_PATHS.test(path) ? path.replace(/[^/]+$/, "[token]") : path;
}
