import createClient from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";
import { CreditbookError, errorFrom, NetworkError } from "./errors.js";

export * from "./errors.js";
export * from "./embed.js";
export type { components, operations, paths } from "./schema.js";

type Schemas = components["schemas"];
type JsonBody<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never;
type Query<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type TrackInput = JsonBody<operations["track"]>;
export type CheckInput = JsonBody<operations["check"]>;
export type ReserveInput = JsonBody<operations["reserve"]>;
export type UsageQuery = Omit<Query<operations["listUsage"]>, "cursor"> & { cursor?: string };
export type EntitlementCheckInput = JsonBody<operations["checkEntitlement"]>;
export type WorkspaceInput = JsonBody<operations["upsertWorkspace"]>;
export type BudgetInput = Omit<JsonBody<operations["setBudget"]>, "workspace_id" | "external_id">;
export type Budget = Schemas["Budget"];
export type TrackResult = Schemas["TrackCharged"] | Schemas["TrackQueued"] | Schemas["TrackPaid"] | Schemas["TrackHeldReplay"];
export type CheckResult = Schemas["CheckResult"];
export type CommitResult = Schemas["CommitResult"];
export type ReleaseResult = Schemas["ReleaseResult"];
export type RefundResult = Schemas["RefundResult"];
export type UsageEvent = Schemas["UsageEvent"];
export type UsagePage = Schemas["UsagePage"];
export type Balance = Schemas["Balance"];
export type Pricing = Schemas["Pricing"];
export type Entitlements = Schemas["Entitlements"];
export type EntitlementCheck = Schemas["EntitlementCheck"];
export type Workspace = Schemas["Workspace"];
export type PortalSessionInput = JsonBody<operations["createPortalSession"]>;
export type PortalSession = Schemas["PortalSession"];
export type PortalSessionRevoked = Schemas["PortalSessionRevoked"];
export type EmbedOrigins = Schemas["EmbedOrigins"];

/** Platform keys name the workspace of each call; workspace keys act on their own and send neither. */
export type WorkspaceSelector = { workspace_id?: string; external_id?: string };

export type CreditbookOptions = {
  /** A workspace key (cb_live_…) or a platform key (cb_plat_…). */
  apiKey: string;
  /** Where Creditbook runs, e.g. https://credits.example.com (default http://localhost:3000). */
  baseUrl?: string;
  /** Platform keys: the workspace every call acts on (see also forWorkspace). */
  workspace?: WorkspaceSelector;
  /** A fetch of your own (tests, proxies, edge runtimes); default globalThis.fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Retries of a retryable error or a dropped connection (default 3). 402 and 403 are never retried. */
  maxRetries?: number;
  /** The longest wait before a retry (default 30 s); a longer Retry-After is not waited for: the error is thrown. */
  maxRetryDelayMs?: number;
  /** The first backoff when the server sent no Retry-After (default 250 ms, doubling). */
  retryBaseDelayMs?: number;
  /** How to wait between retries (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
};

/** A held reservation: commit the actual credits when the work is done, or release the hold. */
export type Reservation = Schemas["Reservation"] & {
  commit(actual: number): Promise<CommitResult>;
  release(): Promise<ReleaseResult>;
};

type Sent<T> = { data?: T; error?: unknown; response: Response };

/**
 * The Creditbook metering API, typed by its OpenAPI document (src/schema.ts, generated). Uses fetch
 * only, so it runs in Node 20+, Bun, Deno, browsers and edge runtimes.
 */
export class Creditbook {
  private readonly api: ReturnType<typeof createClient<paths>>;
  private readonly workspace: WorkspaceSelector;

  constructor(private readonly options: CreditbookOptions) {
    this.workspace = options.workspace ?? {};
    const fetchOf = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.api = createClient<paths>({
      baseUrl: (options.baseUrl ?? "http://localhost:3000").replace(/\/$/, ""),
      headers: { authorization: `Bearer ${options.apiKey}` },
      fetch: (request) => fetchOf(request),
    });
  }

  /** The same client acting on another workspace (platform keys). */
  forWorkspace(workspace: WorkspaceSelector): Creditbook {
    return new Creditbook({ ...this.options, workspace });
  }

  /** Debit an action. Sends an idempotency key (yours, or a new one) and reuses it on retries: charged at most once. */
  track(input: TrackInput): Promise<TrackResult> {
    const body = { ...this.workspace, ...input, idempotency_key: input.idempotency_key ?? newKey() };
    return this.send(() => this.api.POST("/api/v1/track", { body }));
  }

  /** Dry run: would this action be allowed now, what would it cost, what would remain. */
  check(input: CheckInput): Promise<CheckResult> {
    return this.send(() => this.api.POST("/api/v1/check", { body: { ...this.workspace, ...input } }));
  }

  /** Hold credits for async work; commit the actual or release it with the returned reservation. */
  async reserve(input: ReserveInput): Promise<Reservation> {
    const body = { ...this.workspace, ...input, idempotency_key: input.idempotency_key ?? newKey() };
    const held = await this.send(() => this.api.POST("/api/v1/reservations", { body }));
    return { ...held, commit: (actual) => this.commit(held.reservation_id, actual), release: () => this.release(held.reservation_id) };
  }

  commit(reservationId: string, actual: number): Promise<CommitResult> {
    return this.send(() =>
      this.api.POST("/api/v1/reservations/{id}/commit", { params: { path: { id: reservationId } }, body: { ...this.workspace, actual } }),
    );
  }

  release(reservationId: string): Promise<ReleaseResult> {
    return this.send(() =>
      this.api.POST("/api/v1/reservations/{id}/release", { params: { path: { id: reservationId } }, body: { ...this.workspace } }),
    );
  }

  /**
   * Holds `estimate` credits (undefined: the action's reserve price), runs `fn`, then commits what `fn`
   * returns as actual (a number, or `{ actual, value }`), or releases the hold if `fn` throws.
   */
  async withReservation<T = undefined>(
    action: string | ReserveInput,
    estimate: number | undefined,
    fn: (reservation: Reservation) => Promise<number | { actual: number; value: T }>,
  ): Promise<{ value: T | undefined; committed: CommitResult }> {
    const input: ReserveInput = typeof action === "string" ? { action } : action;
    const reservation = await this.reserve({ ...input, ...(estimate === undefined ? {} : { estimate }) });
    let outcome: number | { actual: number; value: T };
    try {
      outcome = await fn(reservation);
    } catch (err) {
      // The work failed: return the hold. Should the release fail too, the hold expires on its own.
      await reservation.release().catch(() => undefined);
      throw err;
    }
    const { actual, value } = typeof outcome === "number" ? { actual: outcome, value: undefined } : outcome;
    return { value, committed: await reservation.commit(actual) };
  }

  /** Refund a completed event (credits return to where they came from). Refunding twice is harmless. */
  refund(eventId: string, options: { reason?: string } = {}): Promise<RefundResult> {
    return this.send(() =>
      this.api.POST("/api/v1/events/{id}/refund", { params: { path: { id: eventId } }, body: { ...this.workspace, ...options } }),
    );
  }

  event(eventId: string): Promise<UsageEvent> {
    return this.send(() => this.api.GET("/api/v1/events/{id}", { params: { path: { id: eventId }, query: { ...this.workspace } } }));
  }

  balance(): Promise<Balance> {
    return this.send(() => this.api.GET("/api/v1/balance", { params: { query: { ...this.workspace } } }));
  }

  /** One page of usage events, newest first. */
  usagePage(query: UsageQuery = {}): Promise<UsagePage> {
    return this.send(() => this.api.GET("/api/v1/usage", { params: { query: { ...this.workspace, ...query } } }));
  }

  /** Every usage event matching `query`, newest first, fetching the next page as you iterate. */
  async *usage(query: UsageQuery = {}): AsyncGenerator<UsageEvent, void, undefined> {
    let cursor = query.cursor;
    do {
      const page = await this.usagePage({ ...query, ...(cursor ? { cursor } : {}) });
      yield* page.data;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /** The public price list (no key needed). */
  pricing(): Promise<Pricing> {
    return this.send(() => this.api.GET("/api/v1/pricing"));
  }

  entitlements(): Promise<Entitlements> {
    return this.send(() => this.api.GET("/api/v1/entitlements", { params: { query: { ...this.workspace } } }));
  }

  checkEntitlement(input: EntitlementCheckInput): Promise<EntitlementCheck> {
    return this.send(() => this.api.POST("/api/v1/entitlements/check", { body: { ...this.workspace, ...input } }));
  }

  /** Credit budgets of the workspace, its keys and its members (402 budget_exceeded past a hard one). */
  readonly budgets = {
    /** Every budget, with what it has spent this period. */
    list: async (): Promise<Budget[]> =>
      (await this.send(() => this.api.GET("/api/v1/budgets", { params: { query: { ...this.workspace } } }))).budgets,
    /** Set (create or replace) the budget of the workspace, a key or a member. */
    set: (input: BudgetInput): Promise<Budget> =>
      this.send(() => this.api.PUT("/api/v1/budgets", { body: { ...this.workspace, ...input } })),
    /** Remove a budget. */
    delete: async (id: string): Promise<void> => {
      await this.send(() => this.api.DELETE("/api/v1/budgets/{id}", { params: { path: { id }, query: { ...this.workspace } } }));
    },
  };

  /** Platform keys: your customers' workspaces. */
  readonly workspaces = {
    /** Create (created: true) or find the workspace of your customer `externalId`. */
    upsert: (externalId: string, input: WorkspaceInput = {}): Promise<Workspace> =>
      this.send(() => this.api.PUT("/api/v1/workspaces/{external_id}", { params: { path: { external_id: externalId } }, body: input })),
  };

  /** Billing inside your product: single-use links to the hosted (/portal) or embedded (/embed) billing page. */
  readonly portalSessions = {
    /** A link for one of your users; open it (or hand it to <CreditbookBilling>) within 5 minutes, once. Call from your backend only. */
    create: (input: PortalSessionInput): Promise<PortalSession> =>
      this.send(() => this.api.POST("/api/v1/portal_sessions", { body: { ...this.workspace, ...input } })),
    /** Ends the link or its session at once; twice is harmless. */
    revoke: (id: string): Promise<PortalSessionRevoked> =>
      this.send(() => this.api.POST("/api/v1/portal_sessions/{id}/revoke", { params: { path: { id } }, body: { ...this.workspace } })),
  };

  /** The origins (scheme://host[:port]) that may show this key's /embed/ links in an iframe. */
  readonly embedOrigins = {
    get: (): Promise<EmbedOrigins> => this.send(() => this.api.GET("/api/v1/embed_origins")),
    /** Replaces the list (at most 10; [] frames nowhere). */
    set: (origins: string[]): Promise<EmbedOrigins> => this.send(() => this.api.PUT("/api/v1/embed_origins", { body: { origins } })),
  };

  /** One call with retries: dropped connections and retryable errors, honouring Retry-After, capped; never 402/403. */
  private async send<T>(attempt: () => Promise<Sent<T>>): Promise<T> {
    const maxRetries = this.options.maxRetries ?? 3;
    const maxDelay = this.options.maxRetryDelayMs ?? 30_000;
    const base = this.options.retryBaseDelayMs ?? 250;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let retry = 0; ; retry++) {
      const backoff = Math.min(maxDelay, base * 2 ** retry);
      let sent: Sent<T>;
      try {
        sent = await attempt();
      } catch (err) {
        // No answer (the connection dropped, maybe after the server acted): the same request again,
        // with the same idempotency key, cannot charge twice.
        if (retry >= maxRetries) throw new NetworkError(err);
        await sleep(backoff);
        continue;
      }
      if (sent.response.ok) return sent.data as T;
      const error: CreditbookError = errorFrom(sent.response.status, sent.error, sent.response.headers);
      if (!error.retryable || error.status === 402 || error.status === 403 || retry >= maxRetries) throw error;
      const wait = error.retryAfterSeconds === null ? backoff : error.retryAfterSeconds * 1000;
      if (wait > maxDelay) throw error;
      await sleep(wait);
    }
  }
}

export function createCreditbook(options: CreditbookOptions): Creditbook {
  return new Creditbook(options);
}

/**
 * Server helper: a portal session for `params.user` (with a platform client, name the workspace in
 * params or use forWorkspace). Pass the returned url to <CreditbookBilling sessionUrl> from
 * @creditbook/client/react, or redirect the user to it (mode "hosted").
 */
export function createPortalSession(client: Creditbook, params: PortalSessionInput): Promise<PortalSession> {
  return client.portalSessions.create(params);
}

function newKey(): string {
  return globalThis.crypto.randomUUID();
}
