import { AppError } from "@/lib/errors";
import { bearerKey, KEY_PREFIX_LENGTH } from "@/lib/metering/key-format";

/**
 * Admission to the metering hot path (POST /api/v1/track and /reservations), per server process,
 * before Next.js spends any work on a call (scripts/server.mjs; docs/decisions/017-metering-hot-path.md
 * "Fair admission").
 *
 * At most `concurrency` calls run at once, and at most `perTenant` of one tenant (the API key's prefix,
 * or the client's address for a call without a key): the server keeps a slot a hot tenant cannot take,
 * so another tenant's call starts at once instead of waiting for one of the hot tenant's to finish. The
 * others wait in one lane per tenant and are let in one per lane in turn: a lane that was empty goes
 * first (as in start-time fair queuing: a tenant that was not waiting is owed a turn), then the busy
 * lanes round-robin. So a tenant with hundreds of calls waiting delays another tenant's call by about
 * one call's slot, not by its whole backlog. Waiting costs nothing but a closure: no CPU, no database
 * connection.
 * A running call that itself waits — for its workspace's group-commit round trip (lib/metering/hot-path.ts)
 * — may give its slot back (`yieldTurn`): the next call is parsed meanwhile and joins the next batch
 * instead of making a round trip of its own. At most `parkedPerTenant` of one tenant and `concurrency`
 * in all wait that way, as they are answered outside a slot when their trip comes back.
 * Bounded: a call that waited `maxWaitMs` is answered 503 overloaded instead of being let in, and when
 * `maxQueued` calls wait, a new one is refused — unless its tenant waits less than the longest lane, in
 * which case that lane's newest call is refused in its place (the tenant causing the queue pays for it).
 */
export function overloaded(reason: string): AppError {
  return new AppError("overloaded", `The metering API is overloaded (${reason}). Nothing was charged.`, {
    nextStep: "Retry after the Retry-After seconds, with the same idempotency key.",
    headers: { "Retry-After": "1" },
  });
}

export type AdmissionOptions = {
  concurrency: number;
  /** At most this many of one tenant's calls at once (default: `concurrency`). */
  perTenant?: number;
  /**
   * How many of one tenant's calls may give their slot back while they wait for their workspace's
   * round trip (`yieldTurn`; default 0: none). Bounded, so that the calls answered outside a slot when
   * the trip comes back are few.
   */
  parkedPerTenant?: number;
  maxQueued: number;
  maxWaitMs: number;
  clock?: () => number;
};

/**
 * Starts an admitted call; it calls `done` once when it has finished (later calls of `done` do nothing),
 * and may call `yieldTurn` while it waits on something shared (see AdmissionOptions.parkedPerTenant).
 */
type Start = (done: () => void, yieldTurn: () => void) => void;
type Waiting = { at: number; start: Start; refuse: (error: AppError) => void; cancelled: boolean };

export class FairAdmission {
  private running = 0;
  private waiting = 0;
  /** Calls running per tenant (tenants with none are not kept). */
  private readonly runningOf = new Map<string, number>();
  /** Calls that gave their slot back, in all and per tenant (tenants with none are not kept). */
  private parked = 0;
  private readonly parkedOf = new Map<string, number>();
  private readonly perTenant: number;
  /** Lanes that were empty, in the order they filled: each sends one call before any busy lane. */
  private readonly fresh = new Map<string, Waiting[]>();
  /** Busy lanes in round-robin order: the next to go is the first; a lane that sent one goes to the back. */
  private readonly lanes = new Map<string, Waiting[]>();
  private readonly clock: () => number;

  constructor(private readonly options: AdmissionOptions) {
    this.clock = options.clock ?? (() => performance.now());
    this.perTenant = Math.max(1, Math.min(options.perTenant ?? options.concurrency, options.concurrency));
  }

  get stats() {
    return { running: this.running, waiting: this.waiting, parked: this.parked, tenants: this.fresh.size + this.lanes.size };
  }

  /**
   * Runs `start` now or when its turn comes, or calls `refuse` with 503 overloaded. A started call calls
   * the `done` it was given when it has finished. Returns a cancel function for a caller that went away
   * while waiting (a no-op once started or refused).
   */
  admit(tenant: string, start: Start, refuse: (error: AppError) => void): () => void {
    if (this.running < this.options.concurrency && this.waiting === 0 && this.mayRun(tenant)) {
      this.begin(tenant, start);
      return () => {};
    }
    if (this.waiting >= this.options.maxQueued && !this.evictFromLongestLane(tenant)) {
      refuse(overloaded("too many calls waiting"));
      return () => {};
    }
    const entry: Waiting = { at: this.clock(), start, refuse, cancelled: false };
    const lane = this.laneOf(tenant);
    if (lane) lane.push(entry);
    else this.fresh.set(tenant, [entry]);
    this.waiting++;
    // A slot may be free that the waiting tenants could not take (each runs its share): this one may.
    this.dispatch();
    return () => {
      if (entry.cancelled) return;
      entry.cancelled = true;
      this.remove(tenant, entry);
    };
  }

  /** A tenant's calls park up to `parkedPerTenant`, and all tenants' up to `concurrency` together. */
  private mayPark(tenant: string): boolean {
    if ((this.parkedOf.get(tenant) ?? 0) >= (this.options.parkedPerTenant ?? 0)) return false;
    return this.parked < this.options.concurrency;
  }

  private mayRun(tenant: string): boolean {
    return (this.runningOf.get(tenant) ?? 0) < this.perTenant;
  }

  private begin(tenant: string, start: Start): void {
    this.running++;
    bump(this.runningOf, tenant, 1);
    let state: "running" | "parked" | "finished" = "running";
    const release = () => {
      this.running--;
      bump(this.runningOf, tenant, -1);
    };
    start(
      () => {
        if (state === "finished") return;
        if (state === "running") release();
        else {
          this.parked--;
          bump(this.parkedOf, tenant, -1);
        }
        state = "finished";
        this.dispatch();
      },
      () => {
        if (state !== "running" || !this.mayPark(tenant)) return;
        release();
        this.parked++;
        bump(this.parkedOf, tenant, 1);
        state = "parked";
        this.dispatch();
      },
    );
  }

  /** Lets waiting calls in while slots are free: fresh lanes first, then busy lanes in turn, skipping a tenant at its share. */
  private dispatch(): void {
    while (this.running < this.options.concurrency && this.waiting > 0) {
      const next = this.nextLane(this.fresh) ?? this.nextLane(this.lanes);
      if (!next) return; // every waiting tenant runs its share: the free slots wait for another tenant
      const [from, tenant, lane] = next;
      const entry = lane.shift()!;
      this.waiting--;
      from.delete(tenant);
      if (lane.length > 0) this.lanes.set(tenant, lane); // to the back of the ring
      entry.cancelled = true;
      if (this.clock() - entry.at > this.options.maxWaitMs) {
        entry.refuse(overloaded("waited too long for its turn"));
        continue;
      }
      this.begin(tenant, entry.start);
    }
  }

  private nextLane(from: Map<string, Waiting[]>): [Map<string, Waiting[]>, string, Waiting[]] | null {
    for (const [tenant, lane] of from) if (this.mayRun(tenant)) return [from, tenant, lane];
    return null;
  }

  private laneOf(tenant: string): Waiting[] | undefined {
    return this.fresh.get(tenant) ?? this.lanes.get(tenant);
  }

  private remove(tenant: string, entry: Waiting): void {
    const lane = this.laneOf(tenant);
    const at = lane?.indexOf(entry) ?? -1;
    if (!lane || at < 0) return;
    lane.splice(at, 1);
    this.waiting--;
    if (lane.length === 0) {
      this.fresh.delete(tenant);
      this.lanes.delete(tenant);
    }
  }

  /** The queue is full: refuses the newest call of the longest lane if it is longer than `tenant`'s. */
  private evictFromLongestLane(tenant: string): boolean {
    let longest: [string, Waiting[]] | null = null;
    for (const pair of [...this.fresh, ...this.lanes]) if (!longest || pair[1].length > longest[1].length) longest = pair;
    const own = this.laneOf(tenant)?.length ?? 0;
    if (!longest || longest[1].length <= own + 1) return false;
    const victim = longest[1].at(-1)!;
    this.remove(longest[0], victim);
    victim.cancelled = true;
    victim.refuse(overloaded("too many calls waiting from the same key"));
    return true;
  }
}

/** Adds `by` to a tenant's count, forgetting tenants at 0. */
function bump(counts: Map<string, number>, tenant: string, by: number): void {
  const n = (counts.get(tenant) ?? 0) + by;
  if (n === 0) counts.delete(tenant);
  else counts.set(tenant, n);
}

const ADMITTED_PATHS = new Set(["/api/v1/track", "/api/v1/reservations"]);

/** Does this request go through admission? The hot path's two action routes. */
export function admitted(method: string | undefined, path: string): boolean {
  return method === "POST" && ADMITTED_PATHS.has(path);
}

/** Whose lane a call waits in: the API key's prefix (public), else the client's address. */
export function tenantOf(authorization: string | undefined, clientAddress: string): string {
  const key = bearerKey(authorization);
  return key ? `key:${key.slice(0, KEY_PREFIX_LENGTH)}` : `ip:${clientAddress}`;
}
