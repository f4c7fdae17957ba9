import "server-only";
import type pg from "pg";
import { db, getHotPool, utcTimestamp } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { yieldAdmissionTurn } from "@/lib/log";
import { AppError } from "@/lib/errors";
import { uuidv7 } from "@/lib/ids";
import { isReservedExternalId } from "@/lib/workspaces/external-ids";
import {
  chargeAgain,
  parseRow,
  settleCharge,
  validateCharge,
  DEFAULT_HOLD_MS,
  type ChargeInput,
  type ChargeResult,
  type RawRow,
  type ReserveInput,
} from "@/lib/credits";
import { overloaded } from "@/lib/metering/admission";
import { hashKey, KEY_PREFIX_LENGTH, policyDenied, touchKey, unauthenticated, type AuthenticatedClient } from "@/lib/metering/keys";
import { rateLimitedError, WINDOW_MS } from "@/lib/metering/limits";
import type { RateLimitResult } from "@/lib/rate-limit";

/**
 * The metering hot path (docs/performance.md "The metering hot path"): an action call (POST
 * /api/v1/track, /reservations) is one database call in the common case — credits_track checks the key
 * (by prefix and SHA-256), resolves the workspace, counts the hourly call and charges, in one
 * transaction. Plain `pg` with a named prepared statement on the hot path's own pool (lib/db.ts
 * getHotPool: lock and statement timeouts); no Prisma. Nothing about keys is cached in the process, so a
 * revoked key or a changed cap holds from the next call on every instance. Calls are grouped inside the
 * instance (group commit, below): a hot workspace holds at most one connection, and under load several
 * workspaces' calls share one round trip.
 * Only uncommon turns take more: period maintenance due, too many pending reservations, a stale
 * lastUsedAt (one write per key every few minutes, off the request's path), an x402 payment.
 */

export type ActionCall = {
  key: string;
  workspaceId?: string;
  externalId?: string;
  action: string;
  quantity?: number;
  idempotencyKey?: string;
  subject?: string;
  metadata?: Record<string, unknown>;
  memberEmail?: string;
  /** A reservation (hold) rather than a debit. */
  hold: boolean;
  estimate?: number;
};

export type ActionOutcome = {
  client: Pick<AuthenticatedClient, "id" | "kind" | "workspaceId" | "hourlyCap" | "maxPending">;
  workspaceId: string;
  limit: RateLimitResult;
  /** What the ledger was asked (for x402 on a denial, and for a second try after maintenance). */
  input: ReserveInput;
  result: ChargeResult;
};

/** An AppError that happened after the call was counted: the response still carries the RateLimit headers. */
export class CountedError extends Error {
  constructor(
    readonly error: unknown,
    readonly limit: RateLimitResult,
  ) {
    super("counted");
  }
}

/**
 * The answer comes back as one json column (the row's columns by name, pg parses it with JSON.parse)
 * rather than 18 columns: the driver then describes and parses one field per call instead of 18, which
 * was a measurable part of a debit's CPU. Same names and values; `remaining` (bigint) arrives as a number.
 * Exported for the scripts and tests that call the functions as the hot path does.
 */
export const TRACK_SQL = {
  name: "credits_track_v2",
  text: `SELECT to_json(t) AS r FROM "credits_track"($1::text, $2::text, $3::text, $4::text, $5::timestamp(3), $6::timestamp(3), $7::text,
    $8::text, $9::integer, $10::text, $11::text, $12::jsonb, $13::text, $14::timestamp(3), $15::boolean, $16::integer, $17::timestamp(3)) t`,
};

export const TRACK_BATCH_SQL = { name: "credits_track_batch_v2", text: `SELECT to_json(t) AS r FROM "credits_track_batch"($1::jsonb) t` };
/** Where the metadata sits in credits_track's parameters ($12): the caller's object, stringified for a single call. */
const METADATA_PARAM = 11;

type TrackRow = RawRow & {
  client_id: string | null;
  client_kind: "WORKSPACE" | "PLATFORM" | null;
  key_workspace_id: string | null;
  workspace_id: string | null;
  hourly_cap: number | null;
  max_pending: number | null;
  calls: number | null;
  stale: boolean;
};

const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;

/** SQLSTATEs of the hot path's own bounds: lock_timeout (55P03) and statement_timeout (57014). */
const TIMEOUTS = new Set(["55P03", "57014"]);

/**
 * Takes a connection of the hot path's pool, or answers 503 overloaded when none frees in time.
 * Callback style, as the query below: a debit is one promise for its call, not one per step.
 */
function connect(pool: pg.Pool, then: (err: unknown, client?: pg.PoolClient) => void): void {
  pool.connect((err, client) => {
    if (!err) return then(undefined, client);
    then(err instanceof Error && /timeout/i.test(err.message) ? overloaded("no database connection free in time") : err);
  });
}

/** PostgreSQL cut a lock wait or a statement short (the transaction rolled back): 503 overloaded. */
function timedOut(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && TIMEOUTS.has(code))
    return overloaded(code === "55P03" ? "a workspace lock wait timed out" : "a statement timed out");
  return err;
}

/**
 * One credits_track call. A caller never waits for a connection longer than the pool's
 * connectionTimeoutMillis (DATABASE_HOT_WAIT_MS): then, or when PostgreSQL cuts a lock wait or a
 * statement short, the answer is 503 overloaded with Retry-After. The transaction rolled back in both
 * cases, so nothing was charged or counted. Exported for the tests that compare a batch with its calls
 * one by one.
 */
export function trackOne(pool: pg.Pool, values: unknown[]): Promise<TrackRow> {
  const metadata = values[METADATA_PARAM];
  if (metadata != null) values[METADATA_PARAM] = JSON.stringify(metadata);
  return new Promise((resolve, reject) => {
    connect(pool, (err, client) => {
      if (err) return reject(err);
      try {
        client!.query<{ r: TrackRow }>({ ...TRACK_SQL, values }, (queryErr, result) => {
          client!.release();
          if (queryErr) reject(timedOut(queryErr));
          else resolve(result.rows[0]!.r);
        });
      } catch (thrown) {
        client!.release();
        reject(timedOut(thrown));
      }
    });
  });
}

/**
 * Group commit. Calls of one workspace: one in flight per instance (per pool) at a time; calls for it
 * that arrive meanwhile wait here — holding no connection — and leave together as one
 * credits_track_batch call when it returns (up to MAX_BATCH, in arrival order). So a hot workspace holds
 * at most one of the pool's connections.
 * Across workspaces: a round trip costs the process about as much CPU as the debit's own work (the
 * driver, two socket calls, waking PostgreSQL), so at most `tripSlots` round trips go at once (a quarter
 * of the pool, as lib/credits/charge.ts); workspaces whose calls become ready while every slot is taken
 * wait together and leave as one batch when a slot frees — one round trip, one transaction and one
 * commit for several workspaces. With slots free, each workspace goes on its own at once, as before. A
 * round trip that has taken longer than SLOW_TRIP_MS (a lock held by another instance, say) stops
 * counting against the slots, so it never holds the others back; the pool still bounds connections.
 * Lock order: a batch's calls go sorted by workspace id, the order lib/credits/charge.ts's batches take
 * too (credits_track_batch takes all of a batch's workspace locks first, in that order), and each
 * workspace's own rows are only locked under its lock (prisma/sql/credits_track.sql), so batches cannot
 * deadlock each other. In the database a batch is charged set-based — a few statements for all its
 * calls — for every workspace whose calls would all be charged in full; the rest go one at a time
 * (prisma/sql/credits_track_batch.sql). A batch that fails as a whole (one call hit an unexpected error)
 * is retried one call at a time, so only that call fails; one cut short by lock_timeout is retried per
 * workspace, so only the workspace whose lock was held answers 503.
 * Which workspace a call is for is known before the call only from earlier answers: a key's workspace
 * never changes, and an external id names one workspace for good, so these hints cannot go stale in a
 * way that matters (at worst a wrong one costs a deadlock PostgreSQL detects: the batch then goes one call
 * at a time). A call without a hint (a key's first call on this instance) goes out alone at once.
 */
const MAX_BATCH = 64;
const MAX_HINTS = 100_000;
const SLOW_TRIP_MS = 50;
type Job = { build: () => unknown[]; resolve: (row: TrackRow) => void; reject: (err: unknown) => void };
type Trip = { started: number };
type PoolLanes = {
  /** Calls waiting per workspace, in arrival order; a workspace's place is its turn (round-robin). */
  waiting: Map<string, Job[]>;
  /** Workspaces with a round trip in flight: their next calls wait for it. */
  busy: Set<string>;
  /** Round trips in flight. */
  trips: Set<Trip>;
  /** A pump waiting for a slow trip to stop counting. */
  timer: NodeJS.Timeout | null;
};
type Lanes = { hints: Map<string, string>; lanes: WeakMap<pg.Pool, PoolLanes> };
const state = ((globalThis as unknown as { __creditbookTrackLanes2?: Lanes }).__creditbookTrackLanes2 ??= {
  hints: new Map(),
  lanes: new WeakMap(),
});

function hintKey(call: ActionCall): string | null {
  if (call.workspaceId) return null; // named by id: the id is the hint
  return call.externalId ? `ext:${call.externalId}` : `key:${call.key.slice(0, KEY_PREFIX_LENGTH)}`;
}

function workspaceHint(call: ActionCall): string | null {
  if (call.workspaceId) return call.workspaceId;
  const key = hintKey(call);
  return key ? (state.hints.get(key) ?? null) : null;
}

function learn(call: ActionCall, row: TrackRow): void {
  const key = hintKey(call);
  if (!key || !row.workspace_id || state.hints.get(key) === row.workspace_id) return;
  if (state.hints.size >= MAX_HINTS) state.hints.clear();
  state.hints.set(key, row.workspace_id);
}

function track(pool: pg.Pool, call: ActionCall, build: () => unknown[]): Promise<TrackRow> {
  const workspaceId = workspaceHint(call);
  if (!workspaceId) {
    let values: unknown[];
    try {
      values = build();
    } catch (err) {
      return Promise.reject(err);
    }
    return trackOne(pool, values).then((row) => {
      learn(call, row);
      return row;
    });
  }
  let lanes = state.lanes.get(pool);
  if (!lanes) state.lanes.set(pool, (lanes = { waiting: new Map(), busy: new Set(), trips: new Set(), timer: null }));
  const pending = lanes;
  return new Promise<TrackRow>((resolve, reject) => {
    const job: Job = {
      build,
      resolve: (row) => {
        learn(call, row);
        resolve(row);
      },
      reject,
    };
    const queue = pending.waiting.get(workspaceId);
    if (queue) queue.push(job);
    else pending.waiting.set(workspaceId, [job]);
    pump(pool, pending);
    // Still waiting (its workspace's trip is out): the next call may be parsed meanwhile, to join the next batch.
    if (pending.waiting.has(workspaceId)) yieldAdmissionTurn();
  });
}

/**
 * How many round trips of hinted calls go at once: a quarter of the pool (lib/credits/charge.ts alike),
 * shared by the machine's worker processes (WEB_CONCURRENCY, which scripts/cluster-primary.mjs hands
 * each worker): their trips cost the same cores and the same PostgreSQL, so two workers keep no more in
 * flight than one process would, and batch the rest (bench:api T7, docs/performance.md).
 */
function tripSlots(pool: pg.Pool): number {
  return Math.max(1, Math.floor((pool.options.max ?? 10) / 4 / (env.WEB_CONCURRENCY ?? 1)));
}

/** Sends whatever may go: each ready workspace alone while slots are free, else the ready ones together. */
function pump(pool: pg.Pool, lanes: PoolLanes): void {
  const now = performance.now();
  let counted = 0;
  let oldest = Infinity;
  for (const trip of lanes.trips) {
    if (now - trip.started >= SLOW_TRIP_MS) continue;
    counted++;
    oldest = Math.min(oldest, trip.started);
  }
  let free = tripSlots(pool) - counted;
  const ready: string[] = [];
  for (const workspaceId of lanes.waiting.keys()) if (!lanes.busy.has(workspaceId)) ready.push(workspaceId);
  if (ready.length === 0) return;
  if (free <= 0) {
    // Every slot is taken: when the youngest-but-oldest trip turns slow, it frees one (unless one ends first).
    lanes.timer ??= setTimeout(
      () => {
        lanes.timer = null;
        pump(pool, lanes);
      },
      Math.max(1, SLOW_TRIP_MS - (now - oldest)),
    ).unref();
    return;
  }
  // Ready workspaces split over the free slots: alone when there are slots enough, else several a trip.
  const perTrip = Math.ceil(ready.length / free);
  for (let at = 0; at < ready.length && free > 0; at += perTrip, free--) send(pool, lanes, ready.slice(at, at + perTrip));
}

/** One round trip for these workspaces' waiting calls (up to MAX_BATCH in all, each workspace's in arrival order). */
function send(pool: pg.Pool, lanes: PoolLanes, workspaces: string[]): void {
  const groups: [string, Job[]][] = [];
  let room = MAX_BATCH;
  for (const workspaceId of workspaces) {
    if (room === 0) break;
    const queue = lanes.waiting.get(workspaceId)!;
    const jobs = queue.splice(0, room);
    room -= jobs.length;
    // The rest waits at the back of the round-robin; an emptied workspace leaves it.
    lanes.waiting.delete(workspaceId);
    if (queue.length > 0) lanes.waiting.set(workspaceId, queue);
    lanes.busy.add(workspaceId);
    groups.push([workspaceId, jobs]);
  }
  groups.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // lock order
  const trip: Trip = { started: performance.now() };
  lanes.trips.add(trip);
  const jobs = groups.flatMap(([, group]) => group);
  const sent = jobs.length === 1 ? runAlone(pool, jobs[0]!) : runBatch(pool, jobs, groups);
  const finish = () => {
    lanes.trips.delete(trip);
    for (const [workspaceId] of groups) lanes.busy.delete(workspaceId);
    pump(pool, lanes);
  };
  // Neither rejects; if one ever did, its calls are answered and the workspaces freed all the same.
  sent.then(finish, (err: unknown) => {
    for (const job of jobs) job.reject(err);
    finish();
  });
}

/** One call; never rejects (the call's own promise does). */
function runAlone(pool: pg.Pool, job: Job): Promise<void> {
  let values: unknown[];
  try {
    values = job.build();
  } catch (err) {
    job.reject(err);
    return Promise.resolve();
  }
  return trackOne(pool, values).then(job.resolve, job.reject);
}

/** Several calls in one credits_track_batch call (`groups`: the same calls by workspace); never rejects. */
async function runBatch(pool: pg.Pool, batch: Job[], groups: [string, Job[]][]): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await new Promise<pg.PoolClient>((resolve, reject) => connect(pool, (err, c) => (err ? reject(err) : resolve(c!))));
  } catch (err) {
    for (const job of batch) job.reject(err);
    return;
  }
  let rows: (TrackRow & { idx: number })[];
  try {
    // Built now, not when each call arrived: the calls' clocks are read as they leave (the wait here was
    // a wait for the workspace, like the lock's). credits_track_batch reads the metadata as JSON.
    const requests = batch.map((job) => job.build());
    const result = await client.query<{ r: TrackRow & { idx: number } }>({ ...TRACK_BATCH_SQL, values: [JSON.stringify(requests)] });
    rows = result.rows.map((row) => row.r);
  } catch (err) {
    const answer = timedOut(err);
    if (answer !== err) {
      if (groups.length > 1) {
        // One workspace's lock (or the whole) took too long: each workspace again on its own, so only
        // the one whose lock is held answers 503.
        client.release();
        await Promise.all(groups.map(([, jobs]) => (jobs.length === 1 ? runAlone(pool, jobs[0]!) : runBatch(pool, jobs, []))));
        return;
      }
      // Cut short by lock_timeout or statement_timeout: one at a time would wait as long again each.
      for (const job of batch) job.reject(answer);
      client.release();
      return;
    }
    rows = [];
  }
  client.release();
  if (rows.length !== batch.length) {
    for (const job of batch) await runAlone(pool, job);
    return;
  }
  for (const row of rows) batch[row.idx]!.resolve(row);
}

export function workspaceNotFound(externalId: string | undefined): AppError {
  return new AppError("not_found", "No such workspace.", {
    nextStep: !externalId
      ? undefined
      : isReservedExternalId(externalId)
        ? "x402:<wallet> workspaces are made by the wallet's first x402 payment (POST /api/x402/credits), not by PUT."
        : "Create it first with PUT /api/v1/workspaces/{external_id}.",
  });
}

export const workspaceErrors = {
  ownOnly: () =>
    new AppError("forbidden", "This key acts on its own workspace only.", { nextStep: "Omit workspace_id, or use a platform key." }),
  externalNeedsPlatform: () => new AppError("forbidden", "external_id needs a platform key."),
  required: () =>
    new AppError("invalid_request", "Platform keys must name the workspace: workspace_id or external_id.", {
      details: { field: "workspace_id" },
    }),
  mismatch: () =>
    new AppError("invalid_request", "workspace_id and external_id name different workspaces. Send one of them.", {
      details: { field: "external_id" },
    }),
};

export function unknownMember(email: string): AppError {
  return new AppError("validation_failed", `${email} is not a member of this workspace.`, {
    nextStep: "Send the email of a member (Settings → Members), or leave member_email out.",
    details: { field: "member_email" },
  });
}

/**
 * credits_track's parameters ($1…$17, in its order) for `call` leaving for the database at `at`; a batch
 * sends the same array per call (credits_track_batch). `quantity` is the validated one and `member` the
 * email trimmed and lower-cased; the metadata goes as the caller's object (trackOne stringifies it for a
 * call alone; a batch sends it inside its one JSON parameter); the event's id is a UUIDv7 of `at` unless
 * one is named.
 */
export function trackParameters(call: ActionCall, p: { at: Date; quantity: number; member: string | null; eventId?: string }): unknown[] {
  const at = p.at.getTime();
  return [
    call.key.slice(0, KEY_PREFIX_LENGTH),
    hashKey(call.key),
    call.workspaceId ?? null,
    call.externalId ?? null,
    utcTimestamp(new Date(Math.floor(at / WINDOW_MS) * WINDOW_MS)),
    utcTimestamp(new Date(at - LAST_USED_RESOLUTION_MS)),
    p.eventId ?? uuidv7(at),
    call.action,
    p.quantity,
    call.idempotencyKey ?? null,
    call.subject ?? null,
    call.metadata ?? null,
    p.member,
    utcTimestamp(p.at),
    call.hold,
    call.estimate ?? null,
    call.hold ? utcTimestamp(new Date(at + DEFAULT_HOLD_MS)) : null,
  ];
}

/**
 * Authenticates, counts and charges an action in one database call. Throws AppError before the call was
 * counted (bad key, wrong workspace), CountedError after (rate limited, not allowed, unknown member,
 * ledger errors). `pool` is for tests that play a second app instance.
 */
export async function chargeByKey(call: ActionCall, pool: pg.Pool = getHotPool()): Promise<ActionOutcome> {
  const input: ReserveInput = {
    workspaceId: "",
    actionKey: call.action,
    quantity: call.quantity,
    idempotencyKey: call.idempotencyKey,
    subject: call.subject,
    metadata: call.metadata as ChargeInput["metadata"],
    estimate: call.estimate,
  };
  const quantity = validateCharge(input);
  const member = call.memberEmail?.trim().toLowerCase() ?? null;
  let asked = now();
  // The parameters, with the clock read when the call leaves for the database.
  const build = () => {
    asked = now();
    return trackParameters(call, { at: asked, quantity, member });
  };
  const row = await track(pool, call, build);
  const windowStart = new Date(Math.floor(asked.getTime() / WINDOW_MS) * WINDOW_MS);

  switch (row.outcome) {
    case "unauthenticated":
      throw unauthenticated(call.key);
    case "forbidden_workspace":
      throw workspaceErrors.ownOnly();
    case "forbidden_external":
      throw workspaceErrors.externalNeedsPlatform();
    case "workspace_required":
      throw workspaceErrors.required();
    case "workspace_mismatch":
      throw workspaceErrors.mismatch();
    case "no_workspace":
      throw workspaceNotFound(call.externalId);
  }
  if (row.stale) touchKey(row.client_id!);
  const client = {
    id: row.client_id!,
    kind: row.client_kind!,
    workspaceId: row.key_workspace_id,
    hourlyCap: row.hourly_cap!,
    maxPending: row.max_pending!,
  };
  const workspaceId = row.workspace_id!;
  const calls = row.calls!;
  const limit: RateLimitResult = {
    allowed: calls <= client.hourlyCap,
    limit: client.hourlyCap,
    count: calls,
    remaining: Math.max(0, client.hourlyCap - calls),
    resetAt: new Date(windowStart.getTime() + WINDOW_MS),
  };
  Object.assign(input, {
    workspaceId,
    actor: { apiClientId: client.id, userId: null },
    ...(call.hold ? { pendingLimit: client.maxPending } : {}),
  });
  try {
    switch (row.outcome) {
      case "rate_limited":
        throw rateLimitedError(limit, "action");
      case "action_not_allowed":
        throw policyDenied(call.action);
      case "unknown_member":
        throw unknownMember(call.memberEmail!);
    }
    const charged = parseRow(row);
    let result = await settleCharge(charged, input);
    // credits_track resolved the member for its charge; a second try (after maintenance) or an x402
    // payment for a denial records the action again, so it looks the member up once more.
    if (member && (!result || result.outcome === "denied"))
      input.actor = { apiClientId: client.id, userId: await memberUserId(workspaceId, member) };
    result ??= await chargeAgain(input, call.hold, charged);
    return { client, workspaceId, limit, input, result };
  } catch (err) {
    throw new CountedError(err, limit);
  }
}

async function memberUserId(workspaceId: string, email: string): Promise<string | null> {
  const m = await db.membership.findFirst({ where: { workspaceId, user: { email } }, select: { userId: true } });
  return m?.userId ?? null;
}
