import { AppError } from "@/lib/errors";
import { bearerKey, KEY_PREFIX_LENGTH } from "@/lib/metering/key-format";

/**
 * Admission to the metering hot path (POST /api/v1/track and /reservations), per server process,
 * before Next.js spends any work on a call (scripts/server.mjs; docs/decisions/017-metering-hot-path.md
 * "Fair admission").
 *
 * At most `concurrency` calls run at once. The others wait in one lane per tenant (the API key's
 * prefix, or the client's address for a call without a key) and are let in one per lane in turn: a lane
 * that was empty goes first (as in start-time fair queuing: a tenant that was not waiting is owed a turn),
 * then the busy lanes round-robin. So a tenant with hundreds of calls waiting delays another tenant's
 * call by about one call's slot, not by its whole backlog. Waiting costs nothing but a closure: no CPU,
 * no database connection.
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

export type AdmissionOptions = { concurrency: number; maxQueued: number; maxWaitMs: number; clock?: () => number };

type Waiting = { at: number; start: () => void; refuse: (error: AppError) => void; cancelled: boolean };

export class FairAdmission {
  private running = 0;
  private waiting = 0;
  /** Lanes that were empty, in the order they filled: each sends one call before any busy lane. */
  private readonly fresh = new Map<string, Waiting[]>();
  /** Busy lanes in round-robin order: the next to go is the first; a lane that sent one goes to the back. */
  private readonly lanes = new Map<string, Waiting[]>();
  private readonly clock: () => number;

  constructor(private readonly options: AdmissionOptions) {
    this.clock = options.clock ?? (() => performance.now());
  }

  get stats() {
    return { running: this.running, waiting: this.waiting, tenants: this.fresh.size + this.lanes.size };
  }

  /**
   * Runs `start` now or when its turn comes, or calls `refuse` with 503 overloaded. A started call must
   * call `done()` exactly once when it has finished. Returns a cancel function for a caller that went
   * away while waiting (a no-op once started or refused).
   */
  admit(tenant: string, start: () => void, refuse: (error: AppError) => void): () => void {
    if (this.running < this.options.concurrency && this.waiting === 0) {
      this.running++;
      start();
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
    return () => {
      if (entry.cancelled) return;
      entry.cancelled = true;
      this.remove(tenant, entry);
    };
  }

  /** A started call finished: the next waiting one (round-robin by tenant) goes. */
  done(): void {
    this.running--;
    this.dispatch();
  }

  private dispatch(): void {
    while (this.running < this.options.concurrency && this.waiting > 0) {
      const from = this.fresh.size > 0 ? this.fresh : this.lanes;
      const [tenant, lane] = from.entries().next().value as [string, Waiting[]];
      const entry = lane.shift()!;
      this.waiting--;
      from.delete(tenant);
      if (lane.length > 0) this.lanes.set(tenant, lane); // to the back of the ring
      entry.cancelled = true;
      if (this.clock() - entry.at > this.options.maxWaitMs) {
        entry.refuse(overloaded("waited too long for its turn"));
        continue;
      }
      this.running++;
      entry.start();
    }
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
