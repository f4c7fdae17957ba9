// event: https://docs.stripe.com/api/events/object — the object the emulator records for each change.
// The API (retrieve, list) is resources/event-routes.ts: it uses the emulator's routing, and the
// emulator builds events with this module, so it lives apart from the object (no import cycle).
import { newId } from "../ids.ts";
import type { AnyObject } from "../store.ts";

export type EventRequest = { id: string | null; idempotency_key: string | null };

/** The `request` of events that no API request caused (hosted pages, clock-driven work). */
export const NO_REQUEST: EventRequest = { id: null, idempotency_key: null };

export function buildEvent(f: {
  type: string;
  object: AnyObject;
  previous?: Record<string, unknown>;
  request: EventRequest;
  apiVersion: string;
  created: number;
  pendingWebhooks: number;
}) {
  const data: { object: AnyObject; previous_attributes?: Record<string, unknown> } = { object: structuredClone(f.object) };
  // previous_attributes only where meaningful (updates); the schema has it optional and not nullable.
  if (f.previous && Object.keys(f.previous).length > 0) data.previous_attributes = structuredClone(f.previous);
  return {
    id: newId("event"),
    object: "event" as const,
    api_version: f.apiVersion as string | null,
    created: f.created,
    data,
    livemode: false,
    pending_webhooks: f.pendingWebhooks,
    request: f.request as EventRequest | null,
    type: f.type,
  };
}
export type StripeEvent = ReturnType<typeof buildEvent>;

/** `type` matches exactly or with a trailing wildcard (`checkout.session.*`), as Stripe's filter does. */
export function typeMatches(type: string, pattern: string): boolean {
  return pattern.endsWith(".*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}
