// The emulator's shared state: store (accounts, each with its own clock), webhooks, and the one place
// events are emitted.
import type { Params } from "./params.ts";
import { buildEvent, type EventRequest, type StripeEvent } from "./resources/events.ts";
import type { Account, AnyObject, ObjectName, Store } from "./store.ts";
import type { Webhooks } from "./webhooks.ts";

/** A test rule that applies to the next `remaining` matching things (injected faults, dropped webhooks). */
export type Countdown = { remaining: number };

/** The first of the account's rules that matches, counted down (and removed once spent). */
export function takeRule<T extends Countdown>(rules: Map<string, T[]>, key: string, matches: (rule: T) => boolean): T | undefined {
  const list = rules.get(key) ?? [];
  const rule = list.find(matches);
  if (!rule) return undefined;
  rule.remaining--;
  if (rule.remaining <= 0)
    rules.set(
      key,
      list.filter((r) => r !== rule),
    );
  return rule;
}

/**
 * A fault injected through POST /_emulator/faults: the next `remaining` matching API requests fail with
 * `status`, or (status null) are answered as usual but `delayMs` late: the answer is what the request
 * saw when it arrived, as a reply slowed down on its way back would be.
 */
export type Fault = Countdown & { method: string; path: string; status: number | null; delayMs: number };

export class Emulator {
  publicUrl = "";
  /** Per account key; kept in memory only. */
  readonly faults = new Map<string, Fault[]>();

  constructor(
    readonly store: Store,
    readonly webhooks: Webhooks,
  ) {}

  /**
   * Records an event (data.object = a snapshot of `object`, `created` = the account's time) and sends it
   * to the account's endpoints.
   */
  emit(
    account: Account,
    type: string,
    object: AnyObject,
    opts: { previous?: Record<string, unknown>; request?: EventRequest } = {},
  ): StripeEvent {
    const event = buildEvent({
      type,
      object,
      previous: opts.previous,
      request: opts.request ?? { id: null, idempotency_key: null },
      apiVersion: account.apiVersion,
      created: account.clock.now(),
      pendingWebhooks: this.webhooks.targets(account, type).length,
    });
    this.store.insert(account, event);
    this.webhooks.dispatch(account, event);
    return event;
  }

  save(): void {
    this.store.save();
  }
}

/** What a route handler gets. */
export type Ctx = {
  emu: Emulator;
  account: Account;
  params: Params;
  /** Path parameters (`:id`). */
  path: Record<string, string>;
  /** The request as events record it: {id: req_…, idempotency_key}. */
  request: EventRequest;
};

export type Method = "GET" | "POST" | "DELETE";
export type Handler = (ctx: Ctx) => object;
export type Route = { method: Method; segments: string[]; handler: Handler };

/** `route("GET", "/v1/customers/:id", handler)` */
export function route(method: Method, pattern: string, handler: Handler): Route {
  return { method, segments: pattern.split("/").filter(Boolean), handler };
}

/** GET /v1/<objects>/:id — the object of this account, or 404 resource_missing. */
export function retrieve(type: ObjectName): Handler {
  return ({ emu, account, path, params }) => {
    params.allowOnly(["expand"]);
    return emu.store.find(account, type, path.id!);
  };
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.startsWith(":")) params[s.slice(1)] = decodeURIComponent(parts[i]!);
    else if (s !== parts[i]) return null;
  }
  return params;
}

export function findRoute(routes: Route[], method: string, pathname: string): { route: Route; path: Record<string, string> } | null {
  const parts = pathname.split("/").filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const path = matchSegments(route.segments, parts);
    if (path) return { route, path };
  }
  return null;
}
