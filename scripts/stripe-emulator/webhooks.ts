// Webhook delivery as Stripe does it: POST application/json with
// `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, asynchronously (never
// inside the API request), retried with exponential backoff on non-2xx answers or network errors.
// Every attempt is recorded for GET /_emulator/deliveries. Tests can have deliveries lost on the way
// (POST /_emulator/webhooks/drop), as a reconciliation job must expect.
import { createHmac } from "node:crypto";
import { takeRule, type Countdown } from "./emulator.ts";
import { newWebhookSecret, randomChars } from "./ids.ts";
import { typeMatches, type StripeEvent } from "./resources/events.ts";
import type { Account, Store } from "./store.ts";

export const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;

export type Delivery = {
  id: string;
  event: string;
  endpoint: string; // we_… or "default" (the emulator's webhookUrl)
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
  /** dropped: lost on the way (POST /_emulator/webhooks/drop), never sent nor retried. */
  outcome: "delivered" | "failed" | "dropped";
  created: number; // wall-clock unix seconds
  at: string; // ISO time of the attempt
};

/** POST /_emulator/webhooks/drop: the next `remaining` deliveries (of events matching `type`, if set) are lost. */
type DropRule = Countdown & { type: string | null };

type Target = { id: string; url: string; secret: string; enabledEvents: string[] };

export type WebhookOptions = { url?: string; secret?: string; retryBaseMs: number; log: (line: string) => void };

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export class Webhooks {
  /** The default endpoint's secret: the configured one, or a random whsec_ secret. */
  readonly defaultSecret: string;
  private readonly deliveries: (Delivery & { account: string })[] = [];
  private readonly delivered = new Set<string>();
  /** Per account key; kept in memory only, as injected faults are. */
  private readonly drops = new Map<string, DropRule[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();

  constructor(
    private readonly options: WebhookOptions,
    private readonly store: Store,
  ) {
    this.defaultSecret = options.secret ?? newWebhookSecret();
  }

  /** The secret for a new endpoint: the configured one when set, else a random one as Stripe does. */
  newEndpointSecret(): string {
    return this.options.secret ?? newWebhookSecret();
  }

  /** Endpoints that receive `type` events of this account: its enabled endpoints and the default one. */
  targets(account: Account, type: string): Target[] {
    const targets: Target[] = this.store
      .all(account, "webhook_endpoint")
      .filter((e) => e.status === "enabled")
      .map((e) => ({
        id: e.id,
        url: e.url,
        secret: account.webhookSecrets.get(e.id) ?? this.defaultSecret,
        enabledEvents: e.enabled_events,
      }));
    if (this.options.url) targets.push({ id: "default", url: this.options.url, secret: this.defaultSecret, enabledEvents: ["*"] });
    return targets.filter((t) => t.enabledEvents.includes("*") || t.enabledEvents.includes(type));
  }

  /** Sends the event to every endpoint that wants it; returns at once. */
  dispatch(account: Account, event: StripeEvent): void {
    for (const target of this.targets(account, event.type)) {
      const dropped = takeRule(this.drops, account.key, (rule) => rule.type === null || typeMatches(event.type, rule.type));
      if (dropped) this.record(account, event, target, 1, { status: null, error: null, outcome: "dropped" });
      else this.schedule(account, event, target, 1, 0);
    }
  }

  /** Loses the next `count` deliveries of this account (of `type` events only, when given). */
  dropNext(account: Account, count: number, type?: string): { object: "emulator.webhook_drop"; count: number; type: string | null } {
    const rule = { remaining: count, type: type ?? null };
    this.drops.set(account.key, [...(this.drops.get(account.key) ?? []), rule]);
    return { object: "emulator.webhook_drop", count, type: rule.type };
  }

  deliveriesOf(account: Account, eventId?: string): Delivery[] {
    return this.deliveries
      .filter((d) => d.account === account.key && (eventId === undefined || d.event === eventId))
      .map(({ account: _account, ...d }) => d);
  }

  close(): void {
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private record(
    account: Account,
    event: StripeEvent,
    target: Target,
    attempt: number,
    result: Pick<Delivery, "status" | "error" | "outcome">,
  ): void {
    const now = Date.now();
    this.deliveries.push({
      account: account.key,
      id: `whdel_${randomChars(16)}`,
      event: event.id,
      endpoint: target.id,
      url: target.url,
      attempt,
      ...result,
      created: Math.floor(now / 1000),
      at: new Date(now).toISOString(),
    });
  }

  private schedule(account: Account, event: StripeEvent, target: Target, attempt: number, delayMs: number): void {
    if (this.abort.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(account, event, target, attempt);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(account: Account, event: StripeEvent, target: Target, attempt: number): Promise<void> {
    const body = JSON.stringify(event, null, 2);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signatureHeader(target.secret, body),
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      if (this.abort.signal.aborted) return; // emulator closing
      error = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    }
    const ok = status !== null && status >= 200 && status < 300;
    this.record(account, event, target, attempt, { status, error, outcome: ok ? "delivered" : "failed" });
    if (ok) {
      const key = `${event.id} ${target.id}`;
      if (!this.delivered.has(key)) {
        this.delivered.add(key);
        event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      }
      return;
    }
    this.options.log(`webhook ${event.type} ${event.id} → ${target.url}: attempt ${attempt} failed (${error ?? status})`);
    if (attempt < MAX_ATTEMPTS) this.schedule(account, event, target, attempt + 1, this.options.retryBaseMs * 2 ** (attempt - 1));
  }
}
