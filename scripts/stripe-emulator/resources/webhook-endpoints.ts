// webhook_endpoint: https://docs.stripe.com/api/webhook_endpoints/object — create (returns the signing
// secret, only then), retrieve, list, delete. (Not in the schema subset; shaped after Stripe's docs.)
import { invalidParam, missingParam } from "../errors.ts";
import { retrieve, route, type Route } from "../emulator.ts";
import { newId } from "../ids.ts";
import { LIST_PARAMS, paginate } from "../list.ts";
import type { Metadata } from "../params.ts";

export function buildWebhookEndpoint(
  now: number,
  f: { url: string; enabledEvents: string[]; apiVersion: string | null; description: string | null; metadata: Metadata },
) {
  return {
    id: newId("webhook_endpoint"),
    object: "webhook_endpoint" as const,
    api_version: f.apiVersion,
    application: null,
    created: now,
    description: f.description,
    enabled_events: f.enabledEvents,
    livemode: false,
    metadata: f.metadata,
    status: "enabled" as "disabled" | "enabled",
    url: f.url,
  };
}
export type WebhookEndpoint = ReturnType<typeof buildWebhookEndpoint>;

export const webhookEndpointRoutes: Route[] = [
  route("POST", "/v1/webhook_endpoints", ({ emu, account, params }) => {
    params.allowOnly(["url", "enabled_events", "api_version", "description", "metadata", "connect", "expand"]);
    const url = params.url("url");
    if (url === undefined) throw missingParam("url");
    const enabledEvents = params.strList("enabled_events");
    if (enabledEvents.length === 0) throw missingParam("enabled_events");
    for (const [i, type] of enabledEvents.entries())
      if (type !== "*" && !/^[a-z_]+(\.[a-z_]+)+$/.test(type))
        throw invalidParam(`enabled_events[${i}]`, `Invalid enabled_events[${i}]: unknown event type ${type}`);
    const endpoint = emu.store.insert(
      account,
      buildWebhookEndpoint(account.clock.now(), {
        url,
        enabledEvents,
        apiVersion: params.str("api_version") ?? null,
        description: params.str("description") ?? null,
        metadata: params.newMetadata(),
      }),
    );
    const secret = emu.webhooks.newEndpointSecret();
    account.webhookSecrets.set(endpoint.id, secret);
    return { ...endpoint, secret };
  }),
  route("GET", "/v1/webhook_endpoints/:id", retrieve("webhook_endpoint")),
  route("DELETE", "/v1/webhook_endpoints/:id", ({ emu, account, path }) => {
    const endpoint = emu.store.find(account, "webhook_endpoint", path.id!);
    emu.store.remove(account, endpoint.id);
    account.webhookSecrets.delete(endpoint.id);
    return { id: endpoint.id, object: "webhook_endpoint", deleted: true };
  }),
  route("GET", "/v1/webhook_endpoints", ({ emu, account, params }) => {
    params.allowOnly(LIST_PARAMS.filter((k) => k !== "created"));
    return paginate(emu.store.newestFirst(account, "webhook_endpoint"), params, "/v1/webhook_endpoints");
  }),
];
