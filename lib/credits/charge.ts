import "server-only";
import { uuidv7 } from "@/lib/ids";
import { db, getPool, utcTimestamp, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { creditPeriod, type BillingInterval } from "@/lib/credits/periods";
import type { Actor } from "@/lib/credits/ledger";
import { MAX_ACTION_KEY_LENGTH, MAX_CREDITS, MAX_QUANTITY } from "@/lib/pricing/limits";
import { lockAndMaintain, maintain } from "@/lib/credits/maintenance";
import { retryAfterSeconds } from "@/lib/credits/policy";
import { budgetExceeded } from "@/lib/credits/budgets";
import type { OutOfCreditsPolicy, Prisma, UsageStatus } from "@/lib/generated/prisma/client";

export const DEFAULT_HOLD_MS = 60 * 60 * 1000;
export const DEFAULT_PENDING_LIMIT = 10;

export type ChargeInput = {
  workspaceId: string;
  actionKey: string;
  quantity?: number;
  idempotencyKey?: string | null;
  subject?: string | null;
  metadata?: Prisma.InputJsonValue | null;
  actor?: Actor;
  /** When the action happened; defaults to the clock. Only imports and the demo seed backdate. */
  at?: Date;
};

export type ReserveInput = ChargeInput & {
  /** Credits to hold; defaults to the action's reserve price × quantity. */
  estimate?: number | null;
  holdMs?: number;
  /** Max PENDING reservations of the API client in this workspace (checked atomically). */
  pendingLimit?: number;
};

type Accepted = {
  replayed: boolean;
  eventId: string;
  status: UsageStatus;
  /** Credits charged (charged), held (held) or to be charged (queued). */
  credits: number;
  remaining: number;
  resetAt: Date;
};

export type ChargeResult =
  | ({ outcome: "charged" | "held" | "queued" } & Accepted)
  | {
      outcome: "denied";
      policy: OutOfCreditsPolicy;
      credits: number;
      remaining: number;
      resetAt: Date;
      /** RATE_LIMIT policy: seconds until the reset, for Retry-After. */
      retryAfterSeconds: number | null;
    };

export type RawRow = Omit<Row, "remaining" | "period_anchor"> & { remaining: string | number | bigint; period_anchor: string | null };

export type Row = {
  outcome: string;
  event_id: string | null;
  event_status: UsageStatus | null;
  credits: number;
  remaining: number;
  policy: OutOfCreditsPolicy | null;
  billing_interval: BillingInterval | null;
  period_anchor: Date | null;
  monthly_credits: number | null;
  /** The event's time as credits_charge dated it (after the workspace lock), ISO 8601 UTC. */
  at: string | null;
};

/** Checks a debit's, reservation's or dry run's quantity (default 1) before any database work; returns it. */
export function validQuantity(raw: number | undefined): number {
  const quantity = raw ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new AppError("invalid_request", `quantity must be a whole number from 1 to ${MAX_QUANTITY.toLocaleString("en-US")}.`, {
      details: { field: "quantity" },
    });
  }
  return quantity;
}

/** Checks quantity, estimate and action key before any database work; returns the quantity. */
export function validateCharge(input: ReserveInput): number {
  const quantity = validQuantity(input.quantity);
  if (input.estimate != null && (!Number.isSafeInteger(input.estimate) || input.estimate < 0 || input.estimate > MAX_CREDITS)) {
    throw new AppError("invalid_request", `estimate must be a whole number of credits from 0 to ${MAX_CREDITS.toLocaleString("en-US")}.`, {
      details: { field: "estimate" },
    });
  }
  if (!input.actionKey || input.actionKey.length > MAX_ACTION_KEY_LENGTH) {
    throw new AppError("invalid_request", `action is required (at most ${MAX_ACTION_KEY_LENGTH} characters).`, {
      details: { field: "action" },
    });
  }
  return quantity;
}

const CHARGE_SQL = `SELECT * FROM "credits_charge"($1::text, $2::text, $3::text, $4::integer, $5::text, $6::text, $7::jsonb,
  $8::text, $9::text, $10::timestamp(3), $11::boolean, $12::integer, $13::timestamp(3), $14::integer, $15::boolean)`;
const BATCH_SQL = `SELECT * FROM "credits_charge_batch"($1::jsonb)`;

type ChargeRequest = {
  workspace_id: string;
  event_id: string;
  action: string;
  quantity: number;
  idempotency_key: string | null;
  subject: string | null;
  metadata?: unknown;
  user_id: string | null;
  api_client_id: string | null;
  at: string;
  hold: boolean;
  estimate: number | null;
  hold_expires_at: string | null;
  pending_limit: number;
  /** `at` is the clock read before the call: credits_charge moves it past the wait for the workspace lock. */
  clock: boolean;
};

function toRequest(input: ReserveInput, hold: boolean, quantity: number, at: Date, clock: boolean): ChargeRequest {
  const holdExpiresAt = hold ? new Date(at.getTime() + (input.holdMs ?? DEFAULT_HOLD_MS)) : null;
  return {
    workspace_id: input.workspaceId,
    event_id: uuidv7(at.getTime()),
    action: input.actionKey,
    quantity,
    idempotency_key: input.idempotencyKey ?? null,
    subject: input.subject ?? null,
    ...(input.metadata == null ? {} : { metadata: input.metadata }),
    user_id: input.actor?.userId ?? null,
    api_client_id: input.actor?.apiClientId ?? null,
    at: utcTimestamp(at),
    hold,
    estimate: input.estimate ?? null,
    hold_expires_at: holdExpiresAt && utcTimestamp(holdExpiresAt),
    pending_limit: input.pendingLimit ?? DEFAULT_PENDING_LIMIT,
    clock,
  };
}

function params(r: ChargeRequest): unknown[] {
  return [
    r.workspace_id,
    r.event_id,
    r.action,
    r.quantity,
    r.idempotency_key,
    r.subject,
    r.metadata === undefined ? null : JSON.stringify(r.metadata),
    r.user_id,
    r.api_client_id,
    r.at,
    r.hold,
    r.estimate,
    r.hold_expires_at,
    r.pending_limit,
    r.clock,
  ];
}

export function parseRow(row: RawRow): Row {
  return { ...row, remaining: Number(row.remaining), period_anchor: row.period_anchor ? new Date(row.period_anchor) : null };
}

async function chargeOne(request: ChargeRequest): Promise<Row> {
  return parseRow((await getPool().query<RawRow>(CHARGE_SQL, params(request))).rows[0]!);
}

/**
 * Group commit. While fewer than a quarter of the pool's connections are busy with charges, each request goes
 * out at once; beyond that, requests that arrive meanwhile wait and leave together as one
 * credits_charge_batch call: one round trip, one transaction and one commit for up to 32 debits.
 * Requests are sorted by workspace so every batch takes workspace locks in the same order (no
 * deadlocks); same-workspace requests keep their arrival order. If a batch fails as a whole (one
 * request hit an unexpected error), its requests are retried one by one, so only that one fails.
 */
const MAX_BATCH = 32;
type Waiting = { request: ChargeRequest; resolve: (row: Row) => void; reject: (err: unknown) => void };
const batcher = ((globalThis as unknown as { __creditbookCharges?: { queue: Waiting[]; inFlight: number } }).__creditbookCharges ??= {
  queue: [],
  inFlight: 0,
});

function pump(): void {
  const limit = Math.max(1, Math.floor(env.DATABASE_POOL_SIZE / 4));
  while (batcher.inFlight < limit && batcher.queue.length > 0) {
    const batch = batcher.queue.splice(0, MAX_BATCH);
    batcher.inFlight++;
    void runBatch(batch).finally(() => {
      batcher.inFlight--;
      pump();
    });
  }
}

async function runOneByOne(batch: Waiting[]): Promise<void> {
  for (const w of batch) {
    try {
      w.resolve(await chargeOne(w.request));
    } catch (err) {
      w.reject(err);
    }
  }
}

async function runBatch(batch: Waiting[]): Promise<void> {
  if (batch.length === 1) return runOneByOne(batch);
  const sorted = [...batch].sort((a, b) =>
    a.request.workspace_id < b.request.workspace_id ? -1 : a.request.workspace_id > b.request.workspace_id ? 1 : 0,
  );
  let rows: (RawRow & { idx: number })[];
  try {
    rows = (await getPool().query<RawRow & { idx: number }>(BATCH_SQL, [JSON.stringify(sorted.map((w) => w.request))])).rows;
  } catch {
    return runOneByOne(sorted);
  }
  for (const row of rows) sorted[row.idx]!.resolve(parseRow(row));
}

function enqueue(request: ChargeRequest): Promise<Row> {
  return new Promise((resolve, reject) => {
    batcher.queue.push({ request, resolve, reject });
    pump();
  });
}

/**
 * Calls credits_charge. Outside a transaction it goes through `pg` on the shared pool (batched under
 * load, see above): no ORM work on the hot path. Inside a caller's transaction it uses that transaction.
 */
async function callCharge(
  tx: Tx | undefined,
  input: ReserveInput,
  hold: boolean,
  quantity: number,
  at: Date,
  clock: boolean,
): Promise<Row> {
  const request = toRequest(input, hold, quantity, at, clock);
  if (!tx) return enqueue(request);
  return parseRow((await tx.$queryRawUnsafe<RawRow[]>(CHARGE_SQL, ...params(request)))[0]!);
}

/**
 * One attempt through credits_charge; when period maintenance is due it runs it (in the caller's
 * transaction, or a short one of its own) and tries again. Without `input.at` the event is dated by the
 * clock once the workspace lock is held (credits_charge moves the time read here past its wait).
 */
async function run(input: ReserveInput, hold: boolean, tx?: Tx): Promise<ChargeResult> {
  const quantity = validateCharge(input);
  let at = input.at ?? now();
  let clock = input.at === undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await callCharge(tx, input, hold, quantity, at, clock);
    const result = await settleCharge(row, input, tx);
    if (result) return result;
    // Maintenance ran as of the time this attempt was dated (after its lock wait): the next attempt
    // keeps that time, so it finds the workspace maintained however the clock moved meanwhile.
    if (row.at) at = new Date(row.at);
    clock = false;
  }
  throw new Error(`period maintenance for workspace ${input.workspaceId} did not settle`);
}

/**
 * What a credits_charge answer means: the result, an AppError thrown, or null when period maintenance
 * was due — it has then been run (as of the time credits_charge dated the call) and the caller calls again.
 */
export async function settleCharge(row: Row, input: ReserveInput, tx?: Tx): Promise<ChargeResult | null> {
  const at = row.at ? new Date(row.at) : (input.at ?? now());
  if (row.outcome === "maintenance") {
    if (tx)
      await maintain(tx, input.workspaceId, at); // credits_charge already holds the lock in tx
    else await db.$transaction((t) => lockAndMaintain(t, input.workspaceId, at));
    return null;
  }
  if (row.outcome === "too_many_pending") throw await tooManyPending(tx ?? db, input, at);
  if (row.outcome === "budget_exceeded") throw await budgetExceeded(tx ?? db, input.workspaceId, row.event_id!, row.credits, at);
  return toResult(row, input, at);
}

/**
 * After a `maintenance` answer of the hot path (lib/metering/hot-path.ts): the charge again, as debit or
 * reserve, dated when the first attempt was (maintenance ran as of then).
 */
export function chargeAgain(input: ReserveInput, hold: boolean, row: Row): Promise<ChargeResult> {
  return run(row.at ? { ...input, at: new Date(row.at) } : input, hold);
}

/** 429 with Retry-After = when the client's soonest hold expires (a slot frees then at the latest). */
async function tooManyPending(client: Tx, input: ReserveInput, at: Date): Promise<AppError> {
  const soonest = await client.usageEvent.findFirst({
    where: { workspaceId: input.workspaceId, apiClientId: input.actor?.apiClientId ?? null, status: "PENDING" },
    orderBy: { holdExpiresAt: "asc" },
    select: { holdExpiresAt: true },
  });
  const seconds = soonest?.holdExpiresAt ? Math.max(1, Math.ceil((soonest.holdExpiresAt.getTime() - at.getTime()) / 1000)) : 1;
  return new AppError(
    "too_many_pending",
    `This API client already has ${input.pendingLimit ?? DEFAULT_PENDING_LIMIT} pending reservations.`,
    {
      nextStep: "Commit or release a pending reservation first (holds also expire on their own).",
      headers: { "Retry-After": String(seconds) },
    },
  );
}

function toResult(row: Row, input: ReserveInput, at: Date): ChargeResult {
  const resetAt = row.billing_interval && row.period_anchor ? creditPeriod(at, row.billing_interval, row.period_anchor).end : at;
  switch (row.outcome) {
    case "unknown_workspace":
      throw new AppError("not_found", "Workspace not found.");
    case "unknown_action":
      throw new AppError("validation_failed", `Unknown action "${input.actionKey}".`, {
        nextStep: "GET /api/v1/pricing lists the actions and their prices.",
        details: { field: "action" },
      });
    case "too_large":
      throw new AppError("invalid_request", "This quantity would cost more credits than one action may (2,147,483,647).", {
        details: { field: "quantity" },
      });
    case "conflict":
      throw new AppError("idempotency_conflict", "This idempotency key was already used for a different action or quantity.", {
        nextStep: "Use a new idempotency key for a different request.",
        details: { event_id: row.event_id },
      });
    case "too_many_pending":
    case "budget_exceeded":
      throw new Error("unreachable: handled in settleCharge()");
    case "denied":
      return {
        outcome: "denied",
        policy: row.policy!,
        credits: row.credits,
        remaining: row.remaining,
        resetAt,
        retryAfterSeconds: retryAfterSeconds(row.policy!, resetAt, at),
      };
    case "replayed":
    case "charged":
    case "held":
    case "queued": {
      const status = row.event_status!;
      const outcome = status === "QUEUED" ? "queued" : status === "PENDING" || status === "RELEASED" ? "held" : "charged";
      return {
        outcome,
        replayed: row.outcome === "replayed",
        eventId: row.event_id!,
        status,
        credits: row.credits,
        remaining: row.remaining,
        resetAt,
      };
    }
    default:
      throw new Error(`credits_charge answered ${row.outcome}`);
  }
}

/**
 * Charges an action: price from the current ActionPrice version (recorded on the event), all or
 * nothing across grants in spend order, idempotent per (workspace, idempotency key). Out of credits,
 * the action's policy decides: denied (REJECT, RATE_LIMIT) or queued (QUEUE). Zero-cost actions and
 * enterprise (unmetered) workspaces are recorded and never denied.
 */
export function debit(input: ChargeInput, tx?: Tx): Promise<ChargeResult> {
  return run(input, false, tx);
}

/** Holds credits for async work (not spendable until committed or released; expires after 1 h). */
export function reserve(input: ReserveInput, tx?: Tx): Promise<ChargeResult> {
  return run(input, true, tx);
}
