/**
 * An in-memory model of one Free-plan workspace's credits ledger, written from docs/design.md
 * ("Periods, allowance and reset", "Debits") for the model-based test in ledger-model.test.ts.
 *
 * It shares no code with lib/: the spend order, the periods, the prices and the maintenance rules are
 * re-derived here on purpose, so a mistake in lib/ is not copied into the oracle. Times are plain
 * millisecond numbers (UTC); the model never reads a clock, every operation is told its instant.
 *
 * Rules (docs/design.md):
 * - Monthly periods start at 00:00 UTC on the 1st. The Free plan grants 100 SUBSCRIPTION credits per
 *   period expiring at the period end (no rollover); sign-up adds a 300-credit BONUS that never expires.
 * - Spend order: SUBSCRIPTION → BONUS → PURCHASED; inside a type the soonest expiry first (never-expiring
 *   last), then the oldest. A debit is all or nothing.
 * - Idempotency keys (per workspace, shared by debits and reservations): a repeat returns the first
 *   event; only accepted outcomes (charged, queued, held) bind a key; a different action or quantity
 *   under a bound key is `idempotency_conflict`.
 * - Out of credits: REJECT and RATE_LIMIT deny (nothing written); QUEUE accepts the event as queued and
 *   charges queued events first-in first-out (head of line) whenever credits come back.
 * - Reservations hold credits (not spendable); commit charges the actual amount (above the hold: the
 *   difference if the balance allows, else what the hold covers, flagged short); release returns the
 *   hold; holds expire after 1 h; a commit after expiry is charged like a new debit.
 * - Refund returns credits to the grants they came from, or, where those have expired, into one BONUS
 *   grant expiring at the current period's end.
 * - Time-driven work (expired holds, expired grants, the new period's allowance, then the queue) is done
 *   lazily before the next operation, as docs/design.md allows ("lazily on the first read/debit").
 * - An operation that fails changes nothing (debits and reservations: except the time-driven work).
 *
 * Where docs/design.md leaves a choice open the model takes lib/'s documented one: a replay reports the first
 * event as it stands now (a queued event since charged reads "charged"); a reservation is never queued; a
 * commit after the hold expired that the balance cannot cover is `insufficient_credits`; a new debit that
 * fits is charged even while older, larger queued events wait.
 */

export type GrantType = "SUBSCRIPTION" | "BONUS" | "PURCHASED";
export type Policy = "REJECT" | "RATE_LIMIT" | "QUEUE";

/** The seeded price table (prisma/seed.ts), copied by hand. */
export const PRICES: Record<string, { credits: number; reserve: number | null; policy: Policy }> = {
  "aria.chat": { credits: 1, reserve: null, policy: "REJECT" },
  "sonic.analysis": { credits: 5, reserve: null, policy: "QUEUE" },
  "stems.separate": { credits: 15, reserve: 15, policy: "REJECT" },
  "image.generate": { credits: 5, reserve: null, policy: "REJECT" },
  "video.generate": { credits: 20, reserve: 20, policy: "REJECT" },
  "campaign.plan": { credits: 10, reserve: null, policy: "REJECT" },
  "artist.similar": { credits: 2, reserve: null, policy: "REJECT" },
  "royalty.parse": { credits: 5, reserve: null, policy: "REJECT" },
  "background.refresh": { credits: 0, reserve: null, policy: "REJECT" },
  "mcp.read_cached": { credits: 0, reserve: null, policy: "RATE_LIMIT" },
  "mcp.get_song_intelligence": { credits: 1, reserve: null, policy: "RATE_LIMIT" },
  "mcp.add_artist": { credits: 2, reserve: null, policy: "RATE_LIMIT" },
  "mcp.create_smart_link": { credits: 1, reserve: null, policy: "RATE_LIMIT" },
  "mcp.generate_pitch": { credits: 2, reserve: null, policy: "RATE_LIMIT" },
};
export const ACTIONS = Object.keys(PRICES);

export const FREE_ALLOWANCE = 100;
export const SIGNUP_BONUS = 300;
export const HOLD_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function monthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export class ModelError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export type MGrant = { source: string; type: GrantType; amount: number; remaining: number; expiresAt: number | null; seq: number };
export type MStatus = "COMPLETED" | "QUEUED" | "PENDING" | "RELEASED" | "REFUNDED" | "REJECTED";
export type MEvent = {
  id: string;
  kind: "debit" | "reserve";
  action: string;
  quantity: number;
  key: string | null;
  /** Charged (COMPLETED/REFUNDED), held (PENDING/RELEASED) or to be charged (QUEUED). */
  credits: number;
  status: MStatus;
  /** Per grant source: credits held (PENDING) or debited (COMPLETED/REFUNDED). */
  held: Record<string, number>;
  debited: Record<string, number>;
  holdExpiresAt: number | null;
  releasedByExpiry: boolean;
  actual: number | null;
  short: boolean;
  completedAt: number | null;
  fromApiClient: boolean;
  refund: { credits: number; toOriginalGrants: number; toBonusGrant: number } | null;
  /** When it was made: the budget period it counts in. */
  createdAt: number;
  /** REJECTED: the budget that refused it. */
  rejectedBudgetId: string | null;
};

/**
 * A hard credit budget (docs/decisions/018-budgets.md): of the workspace (every event) or of the test's
 * API key (events it made), per calendar period in UTC. Counted: events completed, pending or queued,
 * at their credits, in the period they were made in.
 */
export type MBudget = { id: string; scope: "workspace" | "key"; period: "day" | "week" | "month" | "none"; limit: number };

type State = { grants: MGrant[]; events: MEvent[]; seq: number };

export function dayStart(t: number): number {
  return Math.floor(t / DAY_MS) * DAY_MS;
}

/** The budget period containing `t` (calendar UTC; a week starts on Monday): [start, end). */
export function budgetPeriod(period: MBudget["period"], t: number): { start: number; end: number } {
  if (period === "none") return { start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
  if (period === "day") return { start: dayStart(t), end: dayStart(t) + DAY_MS };
  if (period === "week") {
    const start = dayStart(t) - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  return { start: monthStart(t), end: nextMonthStart(t) };
}

const COUNTED: ReadonlySet<MStatus> = new Set(["COMPLETED", "PENDING", "QUEUED"]);

export type ChargeOut =
  | { outcome: "charged" | "held" | "queued"; replayed: boolean; eventId: string; credits: number; remaining: number; resetAt: number }
  | { outcome: "denied"; policy: Policy; credits: number; remaining: number; resetAt: number };
export type CommitOut = { replayed: boolean; credits: number; actual: number; short: boolean; remaining: number; resetAt: number };
export type ReleaseOut = { released: number; replayed: boolean };
export type RefundOut = { replayed: boolean; credits: number; toOriginalGrants: number; toBonusGrant: number };
export type CheckOut = {
  allowed: boolean;
  outcome: "charge" | "queue" | "deny";
  policy: Policy;
  cost: number;
  remaining: number;
  remainingAfter: number;
  resetAt: number;
};
export type BalanceOut = {
  remaining: number;
  remainingByType: Record<GrantType, number>;
  held: number;
  queued: { events: number; credits: number };
  used: number;
  allowanceRemaining: number;
  period: { start: number; end: number };
};

const TYPE_RANK: Record<GrantType, number> = { SUBSCRIPTION: 0, BONUS: 1, PURCHASED: 2 };

function bySpendOrder(a: MGrant, b: MGrant): number {
  if (a.type !== b.type) return TYPE_RANK[a.type] - TYPE_RANK[b.type];
  const ea = a.expiresAt ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  return a.seq - b.seq;
}

export function periodSource(t: number): string {
  return `period:${new Date(monthStart(t)).toISOString()}`;
}

export class LedgerModel {
  private s: State = { grants: [], events: [], seq: 0 };
  private budgets: MBudget[] = [];

  constructor(t0: number) {
    this.addGrant({ source: periodSource(t0), type: "SUBSCRIPTION", amount: FREE_ALLOWANCE, expiresAt: nextMonthStart(t0) });
    this.addGrant({ source: "signup", type: "BONUS", amount: SIGNUP_BONUS, expiresAt: null });
  }

  get grants(): readonly MGrant[] {
    return this.s.grants;
  }

  get events(): readonly MEvent[] {
    return this.s.events;
  }

  setBudgets(budgets: MBudget[]): void {
    this.budgets = budgets;
  }

  /** What a budget has counted in the period containing `t`. */
  spent(b: MBudget, t: number): number {
    const { start, end } = budgetPeriod(b.period, t);
    return this.s.events
      .filter((e) => COUNTED.has(e.status) && e.createdAt >= start && e.createdAt < end && (b.scope === "workspace" || e.fromApiClient))
      .reduce((sum, e) => sum + e.credits, 0);
  }

  /** The hard budget `credits` more would pass (the one with the least left), for an event made at `t`. */
  private overBudget(credits: number, t: number, viaKey: boolean): MBudget | null {
    if (credits <= 0) return null;
    const over = this.budgets
      .filter((b) => (b.scope === "workspace" || viaKey) && this.spent(b, t) + credits > b.limit)
      .sort((a, b) => a.limit - this.spent(a, t) - (b.limit - this.spent(b, t)) || (a.id < b.id ? -1 : 1));
    return over[0] ?? null;
  }

  /** A refused call is recorded (REJECTED, nothing charged, no idempotency key) and answered budget_exceeded. */
  private refuse(
    t: number,
    input: { id: string; kind: MEvent["kind"]; action: string; quantity: number; credits: number; viaKey: boolean },
    budget: MBudget,
  ): never {
    const e = this.newEvent(
      {
        id: input.id,
        kind: input.kind,
        action: input.action,
        quantity: input.quantity,
        key: null,
        credits: input.credits,
        status: "REJECTED",
        fromApiClient: input.viaKey,
      },
      t,
    );
    e.rejectedBudgetId = budget.id;
    throw new ModelError("budget_exceeded");
  }

  /** Runs `fn` all or nothing: a ModelError (or any throw) leaves the state as it was. */
  private atomically<T>(fn: () => T): T {
    const before = structuredClone(this.s);
    try {
      return fn();
    } catch (err) {
      this.s = before;
      throw err;
    }
  }

  // ───── primitives ─────

  private addGrant(g: Omit<MGrant, "remaining" | "seq">): MGrant {
    const grant = { ...g, remaining: g.amount, seq: this.s.seq++ };
    this.s.grants.push(grant);
    return grant;
  }

  private grant(source: string): MGrant {
    const g = this.s.grants.find((x) => x.source === source);
    if (!g) throw new Error(`model: no grant ${source}`);
    return g;
  }

  private live(g: MGrant, t: number): boolean {
    return g.expiresAt === null || g.expiresAt > t;
  }

  balance(t: number): number {
    return this.s.grants.filter((g) => this.live(g, t)).reduce((sum, g) => sum + g.remaining, 0);
  }

  /** Takes `credits` in spend order, all or nothing. Returns what came from which grant, or null. */
  private take(credits: number, t: number): Record<string, number> | null {
    if (this.balance(t) < credits) return null;
    const out: Record<string, number> = {};
    let left = credits;
    for (const g of this.s.grants.filter((x) => this.live(x, t) && x.remaining > 0).sort(bySpendOrder)) {
      if (left === 0) break;
      const n = Math.min(left, g.remaining);
      g.remaining -= n;
      out[g.source] = (out[g.source] ?? 0) + n;
      left -= n;
    }
    return out;
  }

  private giveBack(moves: Record<string, number>) {
    for (const [source, n] of Object.entries(moves)) this.grant(source).remaining += n;
  }

  private expireGrants(t: number) {
    for (const g of this.s.grants) if (g.expiresAt !== null && g.expiresAt <= t) g.remaining = 0;
  }

  /** Queued events, oldest first, while the head fits. */
  private drain(t: number) {
    for (const e of this.s.events.filter((x) => x.status === "QUEUED")) {
      const taken = this.take(e.credits, t);
      if (!taken) break;
      e.debited = taken;
      e.status = "COMPLETED";
      e.completedAt = t;
    }
  }

  /** Is time-driven work waiting: an expired hold, an expired grant with credits, a period without its allowance? */
  private due(t: number): boolean {
    return (
      this.s.events.some((e) => e.status === "PENDING" && e.holdExpiresAt !== null && e.holdExpiresAt <= t) ||
      this.s.grants.some((g) => g.remaining > 0 && g.expiresAt !== null && g.expiresAt <= t) ||
      !this.s.grants.some((g) => g.source === periodSource(t))
    );
  }

  /**
   * What time did since the last operation: holds expire, grants expire, the allowance arrives, the
   * queue runs.
   */
  private catchUp(t: number) {
    for (const e of this.s.events) {
      if (e.status === "PENDING" && e.holdExpiresAt !== null && e.holdExpiresAt <= t) {
        this.giveBack(e.held);
        e.held = {};
        e.status = "RELEASED";
        e.releasedByExpiry = true;
      }
    }
    this.expireGrants(t);
    if (!this.s.grants.some((g) => g.source === periodSource(t))) {
      this.addGrant({ source: periodSource(t), type: "SUBSCRIPTION", amount: FREE_ALLOWANCE, expiresAt: nextMonthStart(t) });
    }
    this.drain(t);
  }

  private replayOrConflict(key: string | null, action: string, quantity: number, t: number): ChargeOut | null {
    if (key === null) return null;
    const first = this.s.events.find((e) => e.key === key);
    if (!first) return null;
    if (first.action !== action || first.quantity !== quantity) throw new ModelError("idempotency_conflict");
    // The first event, as it stands now (a queued event since charged reads as charged).
    const outcome = first.status === "QUEUED" ? "queued" : first.status === "PENDING" || first.status === "RELEASED" ? "held" : "charged";
    return { outcome, replayed: true, eventId: first.id, credits: first.credits, remaining: this.balance(t), resetAt: nextMonthStart(t) };
  }

  private newEvent(
    e: Pick<MEvent, "id" | "kind" | "action" | "quantity" | "key" | "credits" | "status" | "fromApiClient">,
    t: number,
  ): MEvent {
    const event: MEvent = {
      ...e,
      createdAt: t,
      rejectedBudgetId: null,
      held: {},
      debited: {},
      holdExpiresAt: null,
      releasedByExpiry: false,
      actual: null,
      short: false,
      completedAt: null,
      refund: null,
    };
    this.s.events.push(event);
    return event;
  }

  // ───── operations ─────

  /** A debit (`viaKey`: made with the test's API key). Time-driven work done before it stays done even when the debit itself fails. */
  debit(t: number, input: { id: string; action: string; quantity: number; key: string | null; viaKey?: boolean }): ChargeOut {
    this.catchUp(t);
    const viaKey = input.viaKey ?? false;
    const { key, ...fields } = input;
    const out = this.atomically((): ChargeOut | MBudget => {
      const replay = this.replayOrConflict(key, input.action, input.quantity, t);
      if (replay) return replay;
      const price = PRICES[input.action]!;
      const cost = price.credits * input.quantity;
      const budget = this.overBudget(cost, t, viaKey);
      if (budget) return budget;
      const resetAt = nextMonthStart(t);
      const before = this.balance(t);
      const taken = this.take(cost, t);
      const event = {
        id: fields.id,
        action: fields.action,
        quantity: fields.quantity,
        key,
        kind: "debit" as const,
        credits: cost,
        fromApiClient: viaKey,
      };
      if (!taken) {
        if (price.policy !== "QUEUE") return { outcome: "denied", policy: price.policy, credits: cost, remaining: before, resetAt };
        this.newEvent({ ...event, status: "QUEUED" }, t);
        return { outcome: "queued", replayed: false, eventId: input.id, credits: cost, remaining: before, resetAt };
      }
      const e = this.newEvent({ ...event, status: "COMPLETED" }, t);
      e.debited = taken;
      e.completedAt = t;
      return { outcome: "charged", replayed: false, eventId: input.id, credits: cost, remaining: this.balance(t), resetAt };
    });
    if ("outcome" in out) return out;
    return this.refuse(
      t,
      {
        id: input.id,
        kind: "debit",
        action: input.action,
        quantity: input.quantity,
        credits: PRICES[input.action]!.credits * input.quantity,
        viaKey,
      },
      out,
    );
  }

  /** A reservation by the test's API client, which may have at most `pendingLimit` pending. Never queued. */
  reserve(
    t: number,
    input: { id: string; action: string; quantity: number; estimate: number | null; key: string | null; pendingLimit: number },
  ): ChargeOut {
    this.catchUp(t);
    const price = PRICES[input.action]!;
    const hold = input.estimate ?? (price.reserve ?? price.credits) * input.quantity;
    const out = this.atomically((): ChargeOut | MBudget => {
      const replay = this.replayOrConflict(input.key, input.action, input.quantity, t);
      if (replay) return replay;
      if (this.s.events.filter((e) => e.status === "PENDING" && e.fromApiClient).length >= input.pendingLimit) {
        throw new ModelError("too_many_pending");
      }
      const budget = this.overBudget(hold, t, true);
      if (budget) return budget;
      const resetAt = nextMonthStart(t);
      const before = this.balance(t);
      const taken = this.take(hold, t);
      if (!taken) return { outcome: "denied", policy: price.policy, credits: hold, remaining: before, resetAt };
      const e = this.newEvent(
        {
          id: input.id,
          kind: "reserve",
          action: input.action,
          quantity: input.quantity,
          key: input.key,
          credits: hold,
          status: "PENDING",
          fromApiClient: true,
        },
        t,
      );
      e.held = taken;
      e.holdExpiresAt = t + HOLD_MS;
      return { outcome: "held", replayed: false, eventId: input.id, credits: hold, remaining: this.balance(t), resetAt };
    });
    if ("outcome" in out) return out;
    return this.refuse(
      t,
      { id: input.id, kind: "reserve", action: input.action, quantity: input.quantity, credits: hold, viaKey: true },
      out,
    );
  }

  private find(id: string): MEvent {
    const e = this.s.events.find((x) => x.id === id);
    if (!e) throw new ModelError("not_found");
    return e;
  }

  commit(t: number, input: { id: string; actual: number }): CommitOut {
    return this.atomically(() => {
      this.catchUp(t);
      const e = this.find(input.id);
      const resetAt = nextMonthStart(t);
      if (e.status === "COMPLETED" && e.actual !== null) {
        if (e.actual !== input.actual) throw new ModelError("conflict");
        return { replayed: true, credits: e.credits, actual: e.actual, short: e.short, remaining: this.balance(t), resetAt };
      }
      const expired = e.status === "RELEASED" && e.releasedByExpiry;
      if (e.status !== "PENDING" && !expired) throw new ModelError("conflict");
      const pending = e.status === "PENDING";
      const held = pending ? e.credits : 0;
      // Above its hold (or after it expired) a commit spends more: only within the budgets, in the period
      // the event was made in.
      if (this.overBudget(input.actual - held, e.createdAt, e.fromApiClient)) throw new ModelError("budget_exceeded");
      let charge = input.actual;
      let short = false;
      let debited: Record<string, number>;
      if (pending) {
        // Held credits whose grant is still live go back and the actual is charged in spend order (the
        // rest of the hold is thereby released). Held credits of a grant that expired meanwhile were
        // set aside for this work before the expiry: they pay first instead of expiring unused.
        const back: Record<string, number> = {};
        const setAside: Record<string, number> = {};
        for (const [source, n] of Object.entries(e.held)) {
          if (this.live(this.grant(source), t)) back[source] = n;
          else setAside[source] = n;
        }
        this.giveBack(back);
        e.held = {};
        const fromHold = Math.min(sum(setAside), input.actual);
        const consumed = firstCredits(setAside, fromHold); // the rest of setAside stays expired
        const more = this.take(input.actual - fromHold, t);
        if (more) debited = addMoves(consumed, more);
        else {
          // Above what the balance allows: charge what the hold covers (always available: its live part
          // was just returned) and flag the event short.
          charge = held;
          short = true;
          debited = addMoves(consumed, this.take(held - fromHold, t)!);
        }
      } else {
        const taken = this.take(input.actual, t);
        if (!taken) throw new ModelError("insufficient_credits");
        debited = taken;
      }
      e.debited = debited;
      e.status = "COMPLETED";
      e.credits = charge;
      e.actual = input.actual;
      e.short = short;
      e.completedAt = t;
      this.drain(t);
      return { replayed: false, credits: charge, actual: input.actual, short, remaining: this.balance(t), resetAt };
    });
  }

  release(t: number, input: { id: string }): ReleaseOut {
    return this.atomically(() => {
      this.catchUp(t);
      const e = this.find(input.id);
      if (e.status === "RELEASED") return { released: e.credits, replayed: true };
      if (e.status !== "PENDING") throw new ModelError("conflict");
      this.giveBack(e.held);
      e.held = {};
      e.status = "RELEASED";
      this.expireGrants(t);
      this.drain(t);
      return { released: e.credits, replayed: false };
    });
  }

  refund(t: number, input: { id: string }): RefundOut {
    return this.atomically(() => {
      this.catchUp(t);
      const e = this.find(input.id);
      if (e.status === "REFUNDED") return { replayed: true, ...e.refund! };
      if (e.status !== "COMPLETED") throw new ModelError("conflict");
      let toOriginalGrants = 0;
      let toBonusGrant = 0;
      for (const [source, n] of Object.entries(e.debited)) {
        const g = this.grant(source);
        if (this.live(g, t)) {
          g.remaining += n;
          toOriginalGrants += n;
        } else toBonusGrant += n;
      }
      if (toBonusGrant > 0) this.addGrant({ source: `refund:${e.id}`, type: "BONUS", amount: toBonusGrant, expiresAt: nextMonthStart(t) });
      e.status = "REFUNDED";
      e.refund = { credits: toOriginalGrants + toBonusGrant, toOriginalGrants, toBonusGrant };
      this.drain(t);
      return { replayed: false, ...e.refund };
    });
  }

  /** An operator's adjustment: + adds a BONUS grant (source named by the caller), − takes in spend order. */
  adjust(t: number, input: { credits: number; expiresAt: number | null; source: string }): { credits: number; remaining: number } {
    return this.atomically(() => {
      this.catchUp(t);
      if (input.credits > 0) {
        this.addGrant({ source: input.source, type: "BONUS", amount: input.credits, expiresAt: input.expiresAt });
        this.drain(t);
      } else if (!this.take(-input.credits, t)) throw new ModelError("insufficient_credits");
      return { credits: input.credits, remaining: this.balance(t) };
    });
  }

  /** A grant from outside (a pack, a promotion); the same source twice is a no-op. */
  addCredits(t: number, input: { type: GrantType; credits: number; expiresAt: number | null; source: string }): { created: boolean } {
    return this.atomically(() => {
      this.catchUp(t);
      if (this.s.grants.some((g) => g.source === input.source)) return { created: false };
      this.addGrant({ source: input.source, type: input.type, amount: input.credits, expiresAt: input.expiresAt });
      this.drain(t);
      return { created: true };
    });
  }

  /** The dry run: what a debit now would do. Changes nothing. */
  check(t: number, input: { action: string; quantity: number }): CheckOut {
    const before = structuredClone(this.s);
    try {
      this.catchUp(t);
      const remaining = this.balance(t);
      const price = PRICES[input.action]!;
      const cost = price.credits * input.quantity;
      // A budget that would be passed denies whatever the balance (the test's check names no key).
      if (this.overBudget(cost, t, false))
        return {
          allowed: false,
          outcome: "deny",
          policy: price.policy,
          cost,
          remaining,
          remainingAfter: remaining,
          resetAt: nextMonthStart(t),
        };
      const fits = cost <= remaining;
      const outcome = fits ? "charge" : price.policy === "QUEUE" ? "queue" : "deny";
      return {
        allowed: fits,
        outcome,
        policy: price.policy,
        cost,
        remaining,
        remainingAfter: fits ? remaining - cost : remaining,
        resetAt: nextMonthStart(t),
      };
    } finally {
      this.s = before;
    }
  }

  balanceAt(t: number): BalanceOut {
    this.catchUp(t);
    const start = monthStart(t);
    const end = nextMonthStart(t);
    const remainingByType: Record<GrantType, number> = { SUBSCRIPTION: 0, BONUS: 0, PURCHASED: 0 };
    for (const g of this.s.grants) if (this.live(g, t)) remainingByType[g.type] += g.remaining;
    const queued = this.s.events.filter((e) => e.status === "QUEUED");
    return {
      remaining: this.balance(t),
      remainingByType,
      held: this.s.events.filter((e) => e.status === "PENDING").reduce((sum, e) => sum + e.credits, 0),
      queued: { events: queued.length, credits: queued.reduce((sum, e) => sum + e.credits, 0) },
      used: this.s.events
        .filter((e) => e.status === "COMPLETED" && e.completedAt !== null && e.completedAt >= start && e.completedAt < end)
        .reduce((sum, e) => sum + e.credits, 0),
      allowanceRemaining: this.s.grants.find((g) => g.source === periodSource(t))?.remaining ?? 0,
      period: { start, end },
    };
  }

  /** Instants at which something happens by itself: hold expiries and grant expiries. */
  boundaries(): number[] {
    const out: number[] = [];
    for (const e of this.s.events) if (e.status === "PENDING" && e.holdExpiresAt !== null) out.push(e.holdExpiresAt);
    for (const g of this.s.grants) if (g.expiresAt !== null) out.push(g.expiresAt);
    return out;
  }
}

function sum(moves: Record<string, number>): number {
  return Object.values(moves).reduce((s, n) => s + n, 0);
}

/** The first `credits` of some moves (in key order; which expired grant gives them is not observable). */
function firstCredits(moves: Record<string, number>, credits: number): Record<string, number> {
  const out: Record<string, number> = {};
  let left = credits;
  for (const [k, n] of Object.entries(moves)) {
    if (left === 0) break;
    out[k] = Math.min(n, left);
    left -= out[k];
  }
  return out;
}

function addMoves(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}
