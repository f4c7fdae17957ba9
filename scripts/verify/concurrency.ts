// Scenario 1 — concurrency over HTTP: random operations across many workspaces from many concurrent
// clients, then every ledger invariant (lib/credits/invariants.ts) for every workspace.
//
// Metering operations (track, check, reserve, commit, release, refund) and the period rollover (the
// test clock route) go to the app over HTTP. Grants and plan changes have no HTTP route of their own
// (they come from Stripe webhooks and the operator console's server actions), so the harness makes
// them through lib/ (addCredits, changePlan) on the same database, concurrently with the HTTP traffic:
// the same transactions and row locks the app's own paths take.
import { performance } from "node:perf_hooks";
import type { Db } from "../../lib/db.ts";
import { mulberry32 } from "../../lib/random.ts";
import { bearer, fmt, isErrorShape, jsonRequest, makeWorkspaces, Problems, readBody, Rng, type Outcome, type Target } from "./support.ts";

export type ConcurrencyOptions = { ops: number; clients: number; workspaces: number; seed: number };

const WEIGHTS = { track: 30, check: 10, reserve: 15, commit: 12, release: 6, refund: 7, grant: 6, rollover: 1, plan: 3 } as const;
type Op = keyof typeof WEIGHTS;

/** Statuses each HTTP operation may answer with; anything else (a 5xx above all) is a failure. */
const EXPECTED: Record<string, ReadonlySet<number>> = {
  track: new Set([200, 201, 202, 402, 409, 422, 429]),
  check: new Set([200, 422]),
  reserve: new Set([200, 201, 402, 409, 422, 429]),
  commit: new Set([200, 402, 404, 409]),
  release: new Set([200, 404, 409]),
  refund: new Set([200, 404, 409]),
  rollover: new Set([200]),
};

type Ws = { id: string; key: string; reservations: string[]; charged: string[]; keys: { key: string; action: string; quantity: number }[] };

export async function runConcurrency(target: Target, db: Db, o: ConcurrencyOptions): Promise<Outcome> {
  const { addCredits, changePlan, checkInvariants } = await import("../../lib/credits/index.ts");
  const { testClock, now } = await import("../../lib/clock.ts");
  const { AppError } = await import("../../lib/errors.ts");
  const problems = new Problems();
  const plans = ["free", "free", "starter", "free", "pro", "free", "free", "enterprise", "free", "starter"];
  const made = await makeWorkspaces(db, o.workspaces, {
    prefix: `verify-c-${o.seed}`,
    planId: (i) => plans[i % plans.length]!,
    hourlyCap: 1_000_000,
    maxPending: 5,
  });
  const ids = made.map((w) => w.id);
  const workspaces: Ws[] = made.map((w) => ({ id: w.id, key: w.key, reservations: [], charged: [], keys: [] }));
  // The seeded catalogue's actions: other test files running beside the small version add actions of
  // their own (one costs 1.5 billion credits), which are not what this scenario is about.
  const { DEFAULT_ACTION_PRICES } = await import("../../lib/pricing/catalog-defaults.ts");
  const catalogue = new Set(DEFAULT_ACTION_PRICES.map((p) => p.actionKey));
  const actions = (
    await db.actionPrice.findMany({
      where: { active: true },
      select: { actionKey: true },
      distinct: ["actionKey"],
      orderBy: { actionKey: "asc" },
    })
  )
    .map((a) => a.actionKey)
    .filter((a) => catalogue.has(a));
  const reservable = ["stems.separate", "video.generate"].filter((a) => actions.includes(a));

  // The harness's own clock follows the app's (they only move forward), so grants and plan changes made
  // here are dated in the app's present.
  const appNow = async () => new Date(((await (await target.fetch("/api/test/clock")).json()) as { now: string }).now);
  const follow = (at: Date) => {
    if (at.getTime() > now().getTime()) testClock.set(at);
  };
  follow(await appNow());

  const statuses = new Map<string, Map<number, number>>();
  const tally = (op: string, status: number) => {
    const m = statuses.get(op) ?? new Map<number, number>();
    m.set(status, (m.get(status) ?? 0) + 1);
    statuses.set(op, m);
  };

  // 503 overloaded (the hot path shed the call on a busy machine: nothing charged or counted) is sent
  // again after a short backoff, as a client honouring Retry-After would; counted apart, not as a 5xx.
  let overloadedRetries = 0;
  const call = async (op: string, ws: Ws | null, path: string, body: unknown) => {
    let res = await target.fetch(path, jsonRequest("POST", body, ws ? bearer(ws.key) : {}));
    let json = (await readBody(res)) as Record<string, unknown> | null;
    for (
      let attempt = 1;
      attempt <= 20 && res.status === 503 && (json?.error as { code?: string } | undefined)?.code === "overloaded";
      attempt++
    ) {
      overloadedRetries++;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      res = await target.fetch(path, jsonRequest("POST", body, ws ? bearer(ws.key) : {}));
      json = (await readBody(res)) as Record<string, unknown> | null;
    }
    tally(op, res.status);
    if (!EXPECTED[op]!.has(res.status)) problems.add(`${op} ${path} → ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    else if (res.status >= 400 && !isErrorShape(json))
      problems.add(`${op} ${path} → ${res.status} without the error shape: ${JSON.stringify(json).slice(0, 200)}`);
    return { status: res.status, json: json ?? {} };
  };

  async function operate(op: Op, rng: Rng, worker: number, n: number): Promise<void> {
    const ws = rng.pick(workspaces)!;
    switch (op) {
      case "track": {
        let action = rng.pick(actions)!;
        let quantity = rng.int(1, 3);
        let idempotency_key: string | undefined;
        if (rng.chance(0.3)) {
          const used = rng.chance(0.4) ? rng.pick(ws.keys) : undefined;
          if (used && rng.chance(0.8)) ({ action, quantity } = used);
          idempotency_key = used?.key ?? `c-${o.seed}-${worker}-${n}`;
          if (!used) ws.keys.push({ key: idempotency_key, action, quantity });
        }
        const r = await call("track", ws, "/api/v1/track", { action, quantity, idempotency_key });
        if (r.status === 201 && typeof r.json.event_id === "string") ws.charged.push(r.json.event_id);
        return;
      }
      case "check":
        await call("check", ws, "/api/v1/check", { action: rng.pick(actions)!, quantity: rng.int(1, 5) });
        return;
      case "reserve": {
        const r = await call("reserve", ws, "/api/v1/reservations", {
          action: rng.pick(reservable)!,
          ...(rng.chance(0.5) ? { estimate: rng.int(0, 40) } : {}),
        });
        if (r.status === 201 && typeof r.json.reservation_id === "string") ws.reservations.push(r.json.reservation_id);
        return;
      }
      case "commit": {
        const id = rng.pick(ws.reservations) ?? `missing-${worker}-${n}`;
        const r = await call("commit", ws, `/api/v1/reservations/${id}/commit`, { actual: rng.int(0, 45) });
        if (r.status === 200 && !ws.charged.includes(id)) ws.charged.push(id);
        return;
      }
      case "release":
        await call("release", ws, `/api/v1/reservations/${rng.pick(ws.reservations) ?? `missing-${worker}-${n}`}/release`, {});
        return;
      case "refund":
        await call("refund", ws, `/api/v1/events/${rng.pick(ws.charged) ?? `missing-${worker}-${n}`}/refund`, { reason: "verify" });
        return;
      case "grant": {
        tally("grant", 0);
        const bonus = rng.chance(0.2);
        await addCredits({
          workspaceId: ws.id,
          type: bonus ? "BONUS" : "PURCHASED",
          credits: rng.int(1, 40),
          expiresAt: bonus ? new Date(now().getTime() + rng.int(1, 240) * 3_600_000) : null,
          source: `verify-c-${o.seed}-${worker}-${n}`,
          reason: "verify",
        });
        return;
      }
      case "plan": {
        tally("plan", 0);
        await changePlan({ workspaceId: ws.id, planId: rng.pick(["free", "starter", "pro", "scale"])! });
        return;
      }
      case "rollover": {
        // Forward only: up to an hour (holds expire), now and then into the next calendar month.
        const at = now();
        const body = rng.chance(0.1)
          ? { set: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1, 0, rng.int(0, 59))).toISOString() }
          : { advanceMs: rng.int(1, 60) * 60_000 };
        const r = await call("rollover", null, "/api/test/clock", body);
        if (typeof r.json.now === "string") follow(new Date(r.json.now));
        return;
      }
    }
  }

  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: o.clients }, async (_, worker) => {
      const share = Math.floor(o.ops / o.clients) + (worker < o.ops % o.clients ? 1 : 0);
      const rng = new Rng(mulberry32((o.seed ^ Math.imul(worker + 1, 0x9e3779b1)) >>> 0));
      for (let n = 0; n < share; n++) {
        const op = rng.weighted(WEIGHTS);
        try {
          await operate(op, rng, worker, n);
        } catch (err) {
          // lib refusals of grants and plan changes are answers (a rejected plan), not failures.
          if (err instanceof AppError && err.status < 500) continue;
          problems.add(`${op}: ${err instanceof Error ? err.message : String(err)}`);
        }
        done++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  // Back to real time for whatever runs next (these workspaces are not used again).
  await target.fetch("/api/test/clock", jsonRequest("POST", { reset: true }));
  testClock.reset();
  const report = await checkInvariants(db, ids);
  for (const v of report.violations) problems.add(v);
  const errors5xx = [...statuses.values()].reduce((s, m) => s + [...m].filter(([k]) => k >= 500).reduce((a, [, v]) => a + v, 0), 0);
  const ok = problems.count === 0 && report.violations.length === 0 && report.overdrafts === 0 && report.doubleCharges === 0;
  const byOp = [...statuses].map(([op, m]) => `${op} ${fmt([...m.values()].reduce((a, b) => a + b, 0))}`).join(", ");
  return {
    did: `${fmt(o.ops)} random ops (${byOp}) on ${o.workspaces} workspaces from ${o.clients} clients`,
    figures: `ops ${fmt(done)}, ops/s ${fmt(Math.round(done / seconds))}, violations ${report.violations.length}, overdrafts ${report.overdrafts}, double charges ${report.doubleCharges}, 5xx ${errors5xx}, unexpected ${problems.count - report.violations.length}, overloaded and retried ${overloadedRetries}`,
    ok,
    problems: problems.list,
  };
}
