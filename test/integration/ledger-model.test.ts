import fc, { type WeightedArbitrary } from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { now, testClock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import {
  addCredits,
  adjust,
  check,
  checkInvariants,
  commitReservation,
  debit,
  getBalance,
  refund,
  releaseReservation,
  reserve,
  type ChargeResult,
} from "@/lib/credits";
import { createWorkspace } from "@/lib/workspaces/create";
import { newApiClient } from "./helpers";
import {
  ACTIONS,
  dayStart,
  LedgerModel,
  ModelError,
  monthStart,
  nextMonthStart,
  type ChargeOut,
  type GrantType,
  type MBudget,
} from "./ledger-model";
import { setBudget } from "@/lib/budgets/manage";

/**
 * Model-based test: random sequences of ledger operations run against lib/credits on the real database
 * and against the in-memory model of ./ledger-model.ts (written from docs/design.md, sharing no code with
 * lib/). After every command the observable results and the stored grants and events must agree with
 * the model; after every sequence the balance too, and every ledger invariant must hold.
 *
 * Time: each sequence starts at its own instant a year ahead (prices are seeded "now", so the clock only
 * moves forward). Ordinary commands move the clock 2 s (distinct timestamps, so "oldest first" and FIFO
 * are well defined); `advance` jumps, landing at least MARGIN away from every instant where something
 * happens by itself (month starts, hold and grant expiries), so the few milliseconds an operation takes
 * never put the implementation and the model on different sides of a boundary.
 */

const STEP_MS = 2_000;
const MINUTE = 60_000;
const MARGIN_MS = 10 * MINUTE;
const DAY = 24 * 60 * MINUTE;
const PENDING_LIMIT = 3;
const ACTOR = "model-test-operator";

afterEach(() => {
  testClock.reset();
});

// ───────────────────────────── commands ─────────────────────────────

type Expiry = { minutes: number } | { periodEnd: true } | null;
type Cmd =
  | { kind: "debit"; action: string; quantity: number; key: string | null; viaKey?: boolean }
  | { kind: "reserve"; action: string; quantity: number; estimate: number | null; key: string | null }
  | { kind: "commit"; pick: number; delta: number; anyEvent: boolean }
  | { kind: "release"; pick: number; anyEvent: boolean }
  | { kind: "refund"; pick: number; anyEvent: boolean }
  | { kind: "adjust"; credits: number; expiry: Expiry }
  | { kind: "addCredits"; type: "PURCHASED" | "BONUS"; credits: number; expiry: Expiry; source: string }
  | { kind: "advance"; mode: "small" | "pastHold" | "pastMonth" | "nearMonthEnd" | "days"; amount: number; pick: number }
  | { kind: "check"; action: string; quantity: number }
  /** Sends an earlier debit or reservation again, key and all (idempotent replays). */
  | { kind: "repeat"; pick: number }
  | { kind: "balance" };

// Every seeded action, sonic analysis (the queue policy) more often than the others.
const action = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ACTIONS) }, { weight: 1, arbitrary: fc.constant("sonic.analysis") });
const quantity = fc.integer({ min: 1, max: 5 });
const key = fc.option(fc.constantFrom("k1", "k2", "k3"), { freq: 2 });
const rarely = fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
// Short expiries (30 min, 90 min) are common so grants expire under pending holds.
const expiry: fc.Arbitrary<Expiry> = fc.option(
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(30, 90).map((minutes) => ({ minutes })) },
    { weight: 2, arbitrary: fc.constantFrom(24 * 60, 10 * 24 * 60, 45 * 24 * 60).map((minutes) => ({ minutes })) },
    { weight: 1, arbitrary: fc.constant({ periodEnd: true as const }) },
  ),
  { freq: 3 },
);

function commands(): fc.Arbitrary<Cmd> {
  const weighted: WeightedArbitrary<Cmd>[] = [
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("debit" as const), action, quantity, key, viaKey: fc.boolean() }) },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("reserve" as const),
        action: fc.oneof(fc.constantFrom("video.generate", "stems.separate"), action),
        quantity: fc.integer({ min: 1, max: 2 }),
        estimate: fc.option(fc.integer({ min: 0, max: 40 }), { freq: 2, nil: null }),
        key,
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("commit" as const),
        pick: fc.nat(),
        delta: fc.integer({ min: -20, max: 20 }),
        anyEvent: rarely,
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat(), anyEvent: rarely }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("refund" as const), pick: fc.nat(), anyEvent: rarely }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("adjust" as const),
        credits: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: -150, max: -1 })),
        expiry,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("addCredits" as const),
        type: fc.constantFrom("PURCHASED" as const, "BONUS" as const),
        credits: fc.integer({ min: 1, max: 80 }),
        expiry,
        source: fc.constantFrom("pack-a", "pack-b", "pack-c", "promo-d", "promo-e"),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("advance" as const),
        mode: fc.constantFrom("small" as const, "pastHold" as const, "pastMonth" as const, "nearMonthEnd" as const, "days" as const),
        amount: fc.nat(),
        pick: fc.nat(),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("repeat" as const), pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("check" as const), action, quantity }) },
    { weight: 1, arbitrary: fc.constant({ kind: "balance" as const }) },
  ];
  return fc.oneof(...weighted);
}

/** Where a sequence starts: anywhere in a month, or in its last hour (holds across the reset). */
const start = fc.record({
  month: fc.integer({ min: 0, max: 11 }),
  at: fc.oneof(
    fc.integer({ min: 11, max: 27 * 24 * 60 }).map((m) => ({ minutesIn: m })),
    fc.integer({ min: 11, max: 60 }).map((m) => ({ minutesBeforeEnd: m })),
  ),
  /** Start with a low balance (an adjustment down to 0–40 credits) so out-of-credits paths are common. */
  lowBalance: fc.option(fc.integer({ min: 0, max: 40 }), { freq: 2 }),
});

type StartSpec = { month: number; at: { minutesIn: number } | { minutesBeforeEnd: number }; lowBalance: number | null };

/** Hard budgets on the test's API key and on the workspace (credits, or a % of the Free allowance of 100). */
type BudgetSpec = {
  key: { period: MBudget["period"]; limit: number } | null;
  workspace: { period: MBudget["period"]; limit: number; asPercent: boolean } | null;
};
const period = fc.constantFrom("day" as const, "week" as const, "month" as const, "none" as const);
const budgetSpec: fc.Arbitrary<BudgetSpec> = fc.record({
  key: fc.option(fc.record({ period, limit: fc.integer({ min: 0, max: 60 }) }), { freq: 4 }),
  workspace: fc.option(fc.record({ period, limit: fc.integer({ min: 1, max: 150 }), asPercent: fc.boolean() }), { freq: 3 }),
});

// ───────────────────────────── time ─────────────────────────────

function startInstant(spec: StartSpec): number {
  const year = new Date().getUTCFullYear() + 1;
  const first = Date.UTC(year, spec.month, 1);
  return "minutesIn" in spec.at ? first + spec.at.minutesIn * MINUTE : nextMonthStart(first) - spec.at.minutesBeforeEnd * MINUTE;
}

/** Moves `target` forward until it is at least MARGIN away from every boundary (with budgets, every UTC midnight too). */
function clearOfBoundaries(target: number, boundaries: number[], days = false): number {
  for (;;) {
    const calendar = days ? [dayStart(target), dayStart(target) + DAY] : [];
    const near = [...boundaries, monthStart(target), nextMonthStart(target), ...calendar].find((b) => Math.abs(target - b) < MARGIN_MS);
    if (near === undefined) return target;
    target = near + MARGIN_MS;
  }
}

function advanceTarget(t: number, cmd: Extract<Cmd, { kind: "advance" }>, model: LedgerModel, days: boolean): number {
  const small = t + (1 + (cmd.amount % 50)) * MINUTE;
  let target: number;
  switch (cmd.mode) {
    case "small":
      target = small;
      break;
    case "pastHold": {
      const holds = model.events.filter((e) => e.status === "PENDING").map((e) => e.holdExpiresAt!);
      target = holds.length ? holds[cmd.pick % holds.length]! + MARGIN_MS + (cmd.amount % 30) * MINUTE : small;
      break;
    }
    case "pastMonth":
      target = nextMonthStart(t) + MARGIN_MS + (cmd.amount % 3 === 0 ? cmd.amount % (3 * 24 * 60) : cmd.amount % 40) * MINUTE;
      break;
    case "nearMonthEnd":
      target = nextMonthStart(t) - MARGIN_MS - (cmd.amount % 50) * MINUTE;
      if (target <= t + STEP_MS) target = small;
      break;
    case "days":
      target = t + (1 + (cmd.amount % 20)) * DAY;
      break;
  }
  return clearOfBoundaries(target, model.boundaries(), days);
}

function expiresAt(spec: Expiry, t: number): number | null {
  if (spec === null) return null;
  return "minutes" in spec ? t + spec.minutes * MINUTE : nextMonthStart(t);
}

// ───────────────────────────── observing both sides ─────────────────────────────

type Err = { error: string };

async function real<T>(fn: () => Promise<T>): Promise<T | Err> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) return { error: err.code };
    throw err;
  }
}

function modelled<T>(fn: () => T): T | Err {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ModelError) return { error: err.code };
    throw err;
  }
}

function isErr(x: unknown): x is Err {
  return typeof x === "object" && x !== null && "error" in x;
}

const ABOUT_RESET = "≈ seconds until reset";

function observedCharge(r: ChargeResult | Err, t: number) {
  if (isErr(r)) return r;
  const resetAt = r.resetAt.getTime();
  if (r.outcome === "denied") {
    const expected = (resetAt - t) / 1000;
    const retryAfter =
      r.retryAfterSeconds === null ? null : Math.abs(r.retryAfterSeconds - expected) <= 120 ? ABOUT_RESET : r.retryAfterSeconds;
    return { outcome: r.outcome, policy: r.policy, credits: r.credits, remaining: r.remaining, resetAt, retryAfter };
  }
  return {
    outcome: r.outcome,
    replayed: r.replayed,
    eventId: r.replayed ? r.eventId : "(new)",
    credits: r.credits,
    remaining: r.remaining,
    resetAt,
  };
}

function expectedCharge(r: ChargeOut | Err) {
  if (isErr(r)) return r;
  if (r.outcome === "denied") return { ...r, retryAfter: r.policy === "RATE_LIMIT" ? ABOUT_RESET : null };
  return { ...r, eventId: r.replayed ? r.eventId : "(new)" };
}

function eventIdOf(r: ChargeResult | Err): string | null {
  return !isErr(r) && r.outcome !== "denied" ? r.eventId : null;
}

/** The grants and events as stored, in the model's terms. */
async function storedState(workspaceId: string) {
  const [grants, events] = await Promise.all([
    db.creditGrant.findMany({
      where: { workspaceId },
      select: { source: true, type: true, amount: true, remaining: true, expiresAt: true },
    }),
    db.usageEvent.findMany({
      where: { workspaceId },
      select: { id: true, status: true, credits: true, actualCredits: true, short: true, rejectedBudgetId: true },
    }),
  ]);
  return {
    grants: grants
      .map((g) => ({
        source: g.source,
        type: g.type as GrantType,
        amount: g.amount,
        remaining: g.remaining,
        expiresAt: g.expiresAt?.getTime() ?? null,
      }))
      .sort((a, b) => a.source.localeCompare(b.source)),
    events: events
      .map((e) => ({
        id: e.id,
        status: e.status as string,
        credits: e.credits,
        actual: e.actualCredits,
        short: e.short,
        refusedBy: e.rejectedBudgetId,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

function modelState(model: LedgerModel) {
  return {
    grants: model.grants
      .map((g) => ({ source: g.source, type: g.type, amount: g.amount, remaining: g.remaining, expiresAt: g.expiresAt }))
      .sort((a, b) => a.source.localeCompare(b.source)),
    events: model.events
      .map((e) => ({
        id: e.id,
        status: e.status as string,
        credits: e.credits,
        actual: e.actual,
        short: e.short,
        refusedBy: e.rejectedBudgetId,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

type MEvent = LedgerModel["events"][number];

/**
 * An event for commit/release/refund: from the first non-empty tier of candidates (say pending
 * reservations, then any reservation, then any event), else an unknown id. `anyEvent` picks among all.
 */
function pickEvent(model: LedgerModel, cmd: { pick: number; anyEvent: boolean }, tiers: ((e: MEvent) => boolean)[]): string {
  const lists = (cmd.anyEvent ? [() => true] : [...tiers, () => true]).map((f) => model.events.filter(f));
  const candidates = lists.find((list) => list.length > 0) ?? [];
  return candidates.length ? candidates[cmd.pick % candidates.length]!.id : "no-such-event";
}

const isPendingReservation = (e: MEvent) => e.kind === "reserve" && e.status === "PENDING";
const isReservation = (e: MEvent) => e.kind === "reserve";

// ───────────────────────────── one sequence ─────────────────────────────

async function runScenario(spec: StartSpec, cmds: Cmd[], budgets: BudgetSpec | null = null): Promise<void> {
  const days = budgets !== null; // budget periods turn at UTC midnights: keep operations clear of them
  let t = days ? clearOfBoundaries(startInstant(spec), [], true) : startInstant(spec);
  testClock.set(new Date(t));
  const { id: workspaceId } = await db.$transaction((tx) => createWorkspace(tx, { name: "model-based test", at: new Date(t) }));
  const apiClient = await newApiClient(workspaceId);
  const model = new LedgerModel(t);
  const modelBudgets: MBudget[] = [];
  if (budgets?.key) {
    const b = await setBudget(workspaceId, {
      scope: "api_key",
      api_key_id: apiClient.id,
      period: budgets.key.period,
      limit: budgets.key.limit,
    });
    modelBudgets.push({ id: b.id, scope: "key", period: budgets.key.period, limit: budgets.key.limit });
  }
  if (budgets?.workspace) {
    const { period: p, limit, asPercent } = budgets.workspace;
    const b = await setBudget(workspaceId, { scope: "workspace", period: p, ...(asPercent ? { limit_percent: limit } : { limit }) });
    modelBudgets.push({ id: b.id, scope: "workspace", period: p, limit }); // Free: 100 a month, so n % = n credits
  }
  model.setBudgets(modelBudgets);
  const trace: string[] = [`start ${new Date(t).toISOString()} workspace ${workspaceId} budgets ${JSON.stringify(modelBudgets)}`];
  const all: Cmd[] = spec.lowBalance === null ? cmds : [{ kind: "adjust", credits: spec.lowBalance - 400, expiry: null }, ...cmds];

  try {
    const sent: Extract<Cmd, { kind: "debit" | "reserve" }>[] = [];
    for (const [i, generated] of all.entries()) {
      const cmd = resolveRepeat(generated, sent);
      if (cmd.kind === "debit" || cmd.kind === "reserve") sent.push(cmd);
      t = cmd.kind === "advance" ? advanceTarget(t, cmd, model, days) : t + STEP_MS;
      t = Math.max(t, now().getTime() + 1); // never back in time
      testClock.set(new Date(t));
      trace.push(`#${i} ${new Date(t).toISOString()} ${JSON.stringify(cmd)}`);
      const [observed, expected] = await step(cmd, t, i, workspaceId, apiClient.id, model);
      trace.push(`   → ${JSON.stringify(observed)}`);
      expect(observed, `result differs from the model\n${trace.join("\n")}\n   model: ${JSON.stringify(expected)}`).toEqual(expected);
      expect(await storedState(workspaceId), `stored grants/events differ from the model\n${trace.join("\n")}`).toEqual(modelState(model));
    }

    t = Math.max(t + STEP_MS, now().getTime() + 1);
    testClock.set(new Date(t));
    const [observed, expected] = await step({ kind: "balance" }, t, all.length, workspaceId, apiClient.id, model);
    expect(observed, `final balance differs from the model\n${trace.join("\n")}`).toEqual(expected);
    expect(await storedState(workspaceId), `final grants/events differ from the model\n${trace.join("\n")}`).toEqual(modelState(model));
    expect((await checkInvariants(db, [workspaceId])).violations, trace.join("\n")).toEqual([]);
  } finally {
    testClock.reset();
  }
}

/** Calls budgets refused across the budget runs: the property must have met some. */
let refusals = 0;

/** A call a budget refused is recorded (REJECTED): its id, the one event the model does not know yet. */
async function refusedEventId(r: unknown, workspaceId: string, model: LedgerModel): Promise<string | null> {
  if (!isErr(r) || r.error !== "budget_exceeded") return null;
  refusals++;
  const known = model.events.map((e) => e.id);
  const e = await db.usageEvent.findFirst({ where: { workspaceId, status: "REJECTED", id: { notIn: known } }, select: { id: true } });
  return e?.id ?? null;
}

function resolveRepeat(cmd: Cmd, sent: Extract<Cmd, { kind: "debit" | "reserve" }>[]): Exclude<Cmd, { kind: "repeat" }> {
  if (cmd.kind !== "repeat") return cmd;
  const keyed = sent.filter((c) => c.key !== null);
  const candidates = keyed.length ? keyed : sent;
  return candidates.length ? candidates[cmd.pick % candidates.length]! : { kind: "balance" };
}

async function step(
  cmd: Exclude<Cmd, { kind: "repeat" }>,
  t: number,
  i: number,
  workspaceId: string,
  apiClientId: string,
  model: LedgerModel,
): Promise<[unknown, unknown]> {
  switch (cmd.kind) {
    case "debit": {
      const actor = cmd.viaKey ? { apiClientId } : undefined;
      const r = await real(() => debit({ workspaceId, actionKey: cmd.action, quantity: cmd.quantity, idempotencyKey: cmd.key, actor }));
      const id = eventIdOf(r) ?? (await refusedEventId(r, workspaceId, model)) ?? `model-${i}`;
      const m = modelled(() => model.debit(t, { id, action: cmd.action, quantity: cmd.quantity, key: cmd.key, viaKey: cmd.viaKey }));
      return [observedCharge(r, t), expectedCharge(m)];
    }
    case "reserve": {
      const r = await real(() =>
        reserve({
          workspaceId,
          actionKey: cmd.action,
          quantity: cmd.quantity,
          estimate: cmd.estimate,
          idempotencyKey: cmd.key,
          actor: { apiClientId },
          pendingLimit: PENDING_LIMIT,
        }),
      );
      const id = eventIdOf(r) ?? (await refusedEventId(r, workspaceId, model)) ?? `model-${i}`;
      const m = modelled(() =>
        model.reserve(t, {
          id,
          action: cmd.action,
          quantity: cmd.quantity,
          estimate: cmd.estimate,
          key: cmd.key,
          pendingLimit: PENDING_LIMIT,
        }),
      );
      return [observedCharge(r, t), expectedCharge(m)];
    }
    case "commit": {
      const id = pickEvent(model, cmd, [isPendingReservation, (e) => isReservation(e) && e.status === "RELEASED", isReservation]);
      const hold = model.events.find((e) => e.id === id)?.credits ?? 10;
      const actual = Math.max(0, hold + cmd.delta);
      const r = await real(() => commitReservation({ workspaceId, reservationId: id, actual }));
      const m = modelled(() => model.commit(t, { id, actual }));
      const observed = isErr(r)
        ? r
        : {
            replayed: r.replayed,
            credits: r.credits,
            actual: r.actual,
            short: r.short,
            remaining: r.remaining,
            resetAt: r.resetAt.getTime(),
          };
      return [observed, m];
    }
    case "release": {
      const id = pickEvent(model, cmd, [isPendingReservation, isReservation]);
      const r = await real(() => releaseReservation({ workspaceId, reservationId: id }));
      const m = modelled(() => model.release(t, { id }));
      return [isErr(r) ? r : { released: r.released, replayed: r.replayed }, m];
    }
    case "refund": {
      const id = pickEvent(model, cmd, [(e) => e.status === "COMPLETED"]);
      const r = await real(() => refund({ workspaceId, eventId: id }));
      const m = modelled(() => model.refund(t, { id }));
      return [
        isErr(r) ? r : { replayed: r.replayed, credits: r.credits, toOriginalGrants: r.toOriginalGrants, toBonusGrant: r.toBonusGrant },
        m,
      ];
    }
    case "adjust": {
      const at = cmd.credits > 0 ? expiresAt(cmd.expiry, t) : null;
      const r = await real(() =>
        adjust({
          workspaceId,
          credits: cmd.credits,
          reason: "model-based test",
          actorUserId: ACTOR,
          expiresAt: at === null ? null : new Date(at),
        }),
      );
      const source = isErr(r) ? `adjustment:model-${i}` : `adjustment:${r.auditId}`;
      const m = modelled(() => model.adjust(t, { credits: cmd.credits, expiresAt: at, source }));
      return [isErr(r) ? r : { credits: r.credits, remaining: r.remaining }, m];
    }
    case "addCredits": {
      const at = expiresAt(cmd.expiry, t);
      const source = `test:${cmd.source}`;
      const r = await real(() =>
        addCredits({ workspaceId, type: cmd.type, credits: cmd.credits, expiresAt: at === null ? null : new Date(at), source }),
      );
      const m = modelled(() => model.addCredits(t, { type: cmd.type, credits: cmd.credits, expiresAt: at, source }));
      return [isErr(r) ? r : { created: r !== null }, m];
    }
    case "advance":
      return [null, null]; // only the clock moves; whatever is due happens lazily on the next operation
    case "check": {
      const r = await real(() => check({ workspaceId, actionKey: cmd.action, quantity: cmd.quantity }));
      const m = modelled(() => model.check(t, { action: cmd.action, quantity: cmd.quantity }));
      const observed = isErr(r)
        ? r
        : {
            allowed: r.allowed,
            outcome: r.outcome,
            policy: r.policy,
            cost: r.cost,
            remaining: r.remaining,
            remainingAfter: r.remainingAfter,
            resetAt: r.resetAt.getTime(),
          };
      return [observed, m];
    }
    case "balance": {
      const b = await getBalance(workspaceId);
      const m = model.balanceAt(t);
      const observed = {
        remaining: b.remaining,
        remainingByType: b.remainingByType,
        held: b.held,
        queued: b.queued,
        used: b.used,
        allowanceRemaining: b.allowanceRemaining,
        period: { start: Date.parse(b.period.start), end: Date.parse(b.period.end) },
      };
      return [observed, m];
    }
  }
}

// ───────────────────────────── the tests ─────────────────────────────

/** MODEL_RUNS and MODEL_SEED (fast-check's seed, printed on failure) reproduce or widen a run. */
const RUNS = Number(process.env.MODEL_RUNS ?? 50);
// A fixed seed by default, so the suite is the same on every run; MODEL_SEED=random explores afresh.
// (Random runs found a short commit of a reservation where model and ledger differ, seed -243397822:
// to be fixed and kept below as a regression test.)
const SEED = process.env.MODEL_SEED === "random" ? undefined : Number(process.env.MODEL_SEED ?? 20261207);

describe("the ledger against an in-memory model (model-based, fast-check)", () => {
  it("agrees on every result, the stored grants and events, the balance and the invariants", async () => {
    await fc.assert(
      fc.asyncProperty(start, fc.array(commands(), { minLength: 1, maxLength: 30 }), async (spec, cmds) => {
        await runScenario(spec, cmds);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});

describe("budgets against the model", () => {
  // Hard budgets on the key and the workspace, per day, week, month or in all: no budget is ever passed
  // (every refusal, commit above a hold and period change as the model says), and the balance, grants,
  // events and invariants (BudgetSpend = the events) agree as above.
  it("refuses exactly what would pass a budget, counts holds until released, gives refunds back and resets with the period", async () => {
    await fc.assert(
      fc.asyncProperty(start, fc.array(commands(), { minLength: 1, maxLength: 30 }), budgetSpec, async (spec, cmds, budgets) => {
        await runScenario(spec, cmds, budgets);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(refusals, "calls refused by a budget in all the runs").toBeGreaterThan(RUNS / 10);
  }, 180_000);

  it("a budget is spent to its last credit and not one more, by the key's debits and holds", async () => {
    await runScenario(
      { month: 3, at: { minutesIn: 5 * 24 * 60 + 30 }, lowBalance: null },
      [
        { kind: "debit", action: "image.generate", quantity: 1, key: null, viaKey: true }, // 5 of 7
        { kind: "debit", action: "aria.chat", quantity: 1, key: null, viaKey: false }, // not the key's
        { kind: "debit", action: "aria.chat", quantity: 2, key: null, viaKey: true }, // 7 of 7
        { kind: "debit", action: "aria.chat", quantity: 1, key: "k1", viaKey: true }, // refused
        { kind: "reserve", action: "stems.separate", quantity: 1, estimate: 0, key: null }, // a 0 hold passes
        { kind: "refund", pick: 0, anyEvent: false }, // 5 back
        { kind: "reserve", action: "stems.separate", quantity: 1, estimate: 5, key: null }, // 7 of 7 again
        { kind: "commit", pick: 0, delta: 1, anyEvent: false }, // 1 above the hold: refused
        { kind: "commit", pick: 0, delta: 0, anyEvent: false },
        { kind: "debit", action: "aria.chat", quantity: 1, key: "k1", viaKey: true }, // still refused
        { kind: "advance", mode: "days", amount: 0, pick: 0 }, // a new day
        { kind: "debit", action: "aria.chat", quantity: 1, key: "k1", viaKey: true },
      ],
      { key: { period: "day", limit: 7 }, workspace: null },
    );
  });
});

/**
 * Counterexamples the property found in lib/credits (since fixed), shrunk by hand and kept as
 * regression tests.
 */
describe("regressions the model found", () => {
  // Was: (lib/credits/check.ts) the dry run skipped the maintenance a debit would run first. A hold past its
  // 1 h expiry still counts as held, so check answers "deny, 0 remaining" while a debit at the same instant
  // releases the hold and charges: 20 credits, a 20-credit video hold, 1 h 10 min later check
  // image.generate → {allowed: false, remaining: 0}; docs/design.md: allowed, 20 remaining, 15 after. (Same
  // cause: at a due reset it adds the new allowance without charging the queued events first.)
  it("check sees what a debit would: a hold past its expiry is released first", async () => {
    await runScenario({ month: 3, at: { minutesIn: (5 * DAY) / MINUTE }, lowBalance: 20 }, [
      { kind: "reserve", action: "video.generate", quantity: 1, estimate: null, key: null },
      { kind: "advance", mode: "pastHold", amount: 0, pick: 0 },
      { kind: "check", action: "image.generate", quantity: 1 },
      { kind: "debit", action: "image.generate", quantity: 1, key: null },
    ]);
  });

  // Was: (lib/credits/reservations.ts) releaseReservation and commitReservation did not call drainQueue: credits
  // a release (or a commit below the hold) gives back do not run the queue. 20 credits, a 20-credit video
  // hold, sonic.analysis queued (5), release → the analysis stays QUEUED with 20 credits spendable (docs/design.md:
  // queued work is charged first-in first-out when credits come back). A new sonic.analysis debit is then
  // charged at once, ahead of the older queued one.
  it("releasing a hold charges queued work the credits now cover", async () => {
    await runScenario({ month: 3, at: { minutesIn: (5 * DAY) / MINUTE }, lowBalance: 20 }, [
      { kind: "reserve", action: "video.generate", quantity: 1, estimate: null, key: null },
      { kind: "debit", action: "sonic.analysis", quantity: 1, key: null },
      { kind: "release", pick: 0, anyEvent: false },
      { kind: "debit", action: "sonic.analysis", quantity: 1, key: null },
    ]);
  });

  // Was: (lib/credits/reservations.ts commitReservation: releaseHold + expireGrants, then a fresh allocation)
  // a commit first returns the whole hold to its grants; held credits of a grant that expired meanwhile
  // expire, and the actual amount is charged again from what is left. Free workspace (100 + 300), video
  // hold of 20 at 23:49 UTC on the last day of the month (taken from the allowance), commit actual 20 at
  // 00:11 on the 1st → 380 remain (20 of the new allowance paid, the 20 held credits expired) where docs/design.md
  // (hold, then commit the actual, "the rest is released") gives 400.
  it("a commit across the monthly reset is paid from the hold, not again from the new allowance", async () => {
    await runScenario({ month: 3, at: { minutesBeforeEnd: 11 }, lowBalance: null }, [
      { kind: "reserve", action: "video.generate", quantity: 1, estimate: null, key: null },
      { kind: "advance", mode: "pastMonth", amount: 1, pick: 0 },
      { kind: "commit", pick: 0, delta: 0, anyEvent: false },
    ]);
  });

  // Was: (same cause as above, with an expiring grant): 20 BONUS credits expiring in 30 min, a 20-credit
  // video hold on them, commit actual 20 at +40 min (the hold itself is still live) → the event is charged
  // 0 credits and flagged short although the actual is within the hold (reservations.ts itself says "at or
  // below the hold that always fits"); docs/design.md: charged 20, not short.
  it("a commit within its hold is charged in full even when the held grant expired meanwhile", async () => {
    await runScenario({ month: 3, at: { minutesIn: (5 * DAY) / MINUTE }, lowBalance: 0 }, [
      { kind: "addCredits", type: "BONUS", credits: 20, expiry: { minutes: 30 }, source: "promo-d" },
      { kind: "reserve", action: "video.generate", quantity: 1, estimate: null, key: null },
      { kind: "advance", mode: "small", amount: 39, pick: 0 },
      { kind: "commit", pick: 0, delta: 0, anyEvent: false },
    ]);
  });

  // Was: (lib/credits/reservations.ts commitReservation, short path) a commit above what the balance allows
  // charged the hold back from the very grants it was held from, while every other charge, a commit
  // within the balance included, spends in spend order. 0 credits, 15 PURCHASED, a 15-credit stems hold
  // on them, +1 adjusted (a BONUS grant, spent before PURCHASED), commit actual 17 → 15 taken from
  // PURCHASED, the adjusted credit left; docs/design.md (spend order for every debit): 1 from the
  // adjustment and 14 from PURCHASED. (Found by MODEL_SEED=-243397822.)
  it("a short commit charges what the hold covers in spend order, like any debit", async () => {
    await runScenario({ month: 3, at: { minutesIn: (5 * DAY) / MINUTE }, lowBalance: 0 }, [
      { kind: "addCredits", type: "PURCHASED", credits: 15, expiry: null, source: "pack-s" },
      { kind: "reserve", action: "stems.separate", quantity: 1, estimate: null, key: null },
      { kind: "adjust", credits: 1, expiry: null },
      { kind: "commit", pick: 0, delta: 2, anyEvent: false },
    ]);
  });
});
