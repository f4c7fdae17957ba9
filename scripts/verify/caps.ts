// Scenario 5 — caps across instances on one database: N parallel track calls on one key with hourly
// cap C (spread over every instance) → exactly C succeed, the rest 429 rate_limited with Retry-After;
// M parallel reservations on one key with a pending cap of P → exactly P held.
import type { Db } from "../../lib/db.ts";
import { bearer, fmt, isErrorShape, jsonRequest, makeWorkspaces, Problems, readBody, type Outcome, type Target } from "./support.ts";

export type CapsOptions = { calls: number; hourlyCap: number; reservations: number; pendingCap: number };

export async function runCaps(targets: Target[], db: Db, o: CapsOptions): Promise<Outcome> {
  const problems = new Problems();
  await alignClocks(targets);
  const [capped] = await makeWorkspaces(db, 1, { prefix: "verify-caps", hourlyCap: o.hourlyCap });
  const [pending] = await makeWorkspaces(db, 1, {
    prefix: "verify-pending",
    hourlyCap: 100_000,
    maxPending: o.pendingCap,
    planId: () => "pro",
  });

  const track = await Promise.all(
    Array.from({ length: o.calls }, async (_, i) => {
      const res = await targets[i % targets.length]!.fetch(
        "/api/v1/track",
        jsonRequest("POST", { action: "background.refresh" }, bearer(capped!.key)),
      );
      const body = await readBody(res);
      if (res.status === 429) {
        if (!res.headers.get("retry-after")) problems.add(`a 429 without Retry-After from ${targets[i % targets.length]!.name}`);
        if (!isErrorShape(body) || (body as { error: { code: string } }).error.code !== "rate_limited")
          problems.add(`a 429 that is not rate_limited: ${JSON.stringify(body)}`);
      }
      return res.status;
    }),
  );
  const ok201 = track.filter((s) => s === 201).length;
  const r429 = track.filter((s) => s === 429).length;
  const events = await db.usageEvent.count({ where: { workspaceId: capped!.id } });
  if (ok201 !== o.hourlyCap) problems.add(`${ok201} track calls succeeded, expected exactly ${o.hourlyCap}`);
  if (r429 !== o.calls - o.hourlyCap) problems.add(`${r429} track calls answered 429, expected ${o.calls - o.hourlyCap}`);
  if (events !== o.hourlyCap) problems.add(`${events} usage events recorded, expected ${o.hourlyCap}`);

  const holds = await Promise.all(
    Array.from({ length: o.reservations }, async (_, i) => {
      const res = await targets[i % targets.length]!.fetch(
        "/api/v1/reservations",
        jsonRequest("POST", { action: "stems.separate" }, bearer(pending!.key)),
      );
      const body = await readBody(res);
      if (res.status === 429 && (!isErrorShape(body) || (body as { error: { code: string } }).error.code !== "too_many_pending"))
        problems.add(`a refused reservation that is not too_many_pending: ${JSON.stringify(body)}`);
      return res.status;
    }),
  );
  const held = holds.filter((s) => s === 201).length;
  const refused = holds.filter((s) => s === 429).length;
  const pendingRows = await db.usageEvent.count({ where: { workspaceId: pending!.id, status: "PENDING" } });
  if (held !== o.pendingCap || pendingRows !== o.pendingCap)
    problems.add(`${held} reservations held (${pendingRows} pending rows), expected exactly ${o.pendingCap}`);
  if (refused !== o.reservations - o.pendingCap)
    problems.add(`${refused} reservations refused with 429, expected ${o.reservations - o.pendingCap}`);

  return {
    did: `${fmt(o.calls)} parallel tracks on one key capped at ${o.hourlyCap}/h, ${o.reservations} parallel reservations with pending cap ${o.pendingCap}, over ${targets.length} instance(s)`,
    figures: `track: ${ok201} ok / ${r429} 429 (${events} events); reservations: ${held} held / ${refused} 429`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}

/**
 * In test mode each instance has its own clock (another scenario may have moved one): set them all to
 * one instant, five minutes into the next whole hour after the latest, so they count the same window.
 */
async function alignClocks(targets: Target[]): Promise<void> {
  const times = await Promise.all(
    targets.map(async (t) => Date.parse(((await (await t.fetch("/api/test/clock")).json()) as { now: string }).now)),
  );
  const at = new Date((Math.floor(Math.max(...times) / 3_600_000) + 1) * 3_600_000 + 5 * 60_000).toISOString();
  for (const t of targets) {
    const res = await t.fetch("/api/test/clock", jsonRequest("POST", { set: at }));
    if (res.status !== 200) throw new Error(`setting the clock of ${t.name} failed: ${res.status}`);
  }
}

export type SkewOptions = { workspaces: number; hourlyCap: number; reservations: number };

const SKEW_MS = 2_000;
const tick = () => new Promise((r) => setTimeout(r, 20));

/** Sets `targets[i]`'s clock to `at + i × SKEW_MS` (the second instance 2 s ahead of the first); returns the skew measured. */
async function skewClocks(targets: Target[], at: Date): Promise<number> {
  for (const [i, t] of targets.entries()) {
    const res = await t.fetch("/api/test/clock", jsonRequest("POST", { set: new Date(at.getTime() + i * SKEW_MS).toISOString() }));
    if (res.status !== 200) throw new Error(`setting the clock of ${t.name} failed: ${res.status}`);
  }
  return (await clockOf(targets[1]!)) - (await clockOf(targets[0]!));
}
const clockOf = async (t: Target) => Date.parse(((await (await t.fetch("/api/test/clock")).json()) as { now: string }).now);

/**
 * Scenario 11 — two instances whose clocks are 2 s apart race (a) a month boundary: workspaces made
 * in the old month get track calls from both instances while one clock has crossed and the other has
 * not, and must end with exactly one allowance grant per period; (b) the hourly cap: parallel calls on
 * one key through both instances, exactly the cap succeeds; (c) hold expiry: reservations made on the
 * slow instance, committed there while the fast one (reading the workspace) crosses their expiry — no
 * hold is released before its expiry, none both committed and released, the ledger whole.
 */
export async function runClockSkew(targets: Target[], db: Db, o: SkewOptions): Promise<Outcome> {
  const { checkInvariants, creditPeriod, periodSource } = await import("../../lib/credits/index.ts");
  const problems = new Problems();
  if (targets.length < 2) throw new Error("the clock-skew scenario needs two instances");
  const [slow, fast] = [targets[0]!, targets[1]!];
  let requests = 0;
  const call = async (t: Target, path: string, body: object | undefined, key: string) => {
    requests++;
    const res = await t.fetch(path, body === undefined ? { headers: bearer(key) } : jsonRequest("POST", body, bearer(key)));
    const parsed = await readBody(res);
    if (res.status >= 500) problems.add(`${t.name} ${path} → ${res.status}`);
    return { status: res.status, body: parsed as Record<string, unknown> };
  };

  // (a) The month boundary M: the slow clock 3 s before it, the fast one 1 s before; calls until both crossed.
  const latest = Math.max(await clockOf(slow), await clockOf(fast));
  const month = creditPeriod(new Date(latest + 40 * 86_400_000), "MONTH", new Date(0));
  const boundary = month.start;
  const previous = creditPeriod(new Date(boundary.getTime() - 1), "MONTH", new Date(0));
  const made = await makeWorkspaces(db, o.workspaces, {
    prefix: "verify-skew",
    hourlyCap: 1_000_000,
    at: new Date(boundary.getTime() - 10 * 86_400_000),
  });
  const skew = await skewClocks(targets, new Date(boundary.getTime() - 3_000));
  let crossCalls = 0;
  const until = Date.now() + 30_000;
  await Promise.all(
    [slow, fast].flatMap((t) =>
      made.map(async (w) => {
        while (Date.now() < until && (await clockOf(slow)) < boundary.getTime() + 1_000) {
          crossCalls++;
          await call(t, "/api/v1/track", { action: "background.refresh" }, w.key);
          await tick();
        }
      }),
    ),
  );
  const grants = await db.creditGrant.groupBy({
    by: ["workspaceId", "source"],
    where: { workspaceId: { in: made.map((w) => w.id) }, type: "SUBSCRIPTION" },
    _count: true,
  });
  const expected = [periodSource(previous), periodSource(month)];
  for (const w of made) {
    const mine = grants.filter((g) => g.workspaceId === w.id);
    const sources = mine.map((g) => `${g.source}×${g._count}`).sort();
    if (JSON.stringify(sources) !== JSON.stringify(expected.map((s) => `${s}×1`).sort()))
      problems.add(`workspace ${w.id}: allowance grants ${sources.join(", ")} (one per period expected: ${expected.join(", ")})`);
  }

  // (b) The hourly cap, both clocks past M (the same hour), 2 s apart: exactly the cap succeeds.
  const [capped] = await makeWorkspaces(db, 1, { prefix: "verify-skew-cap", hourlyCap: o.hourlyCap });
  const capCalls = o.hourlyCap * 3;
  const statuses = await Promise.all(
    Array.from({ length: capCalls }, (_, i) => call(targets[i % 2]!, "/api/v1/track", { action: "background.refresh" }, capped!.key)),
  );
  const capOk = statuses.filter((s) => s.status === 201).length;
  if (capOk !== o.hourlyCap)
    problems.add(`${capOk} of ${capCalls} capped calls succeeded across the skewed instances, expected exactly ${o.hourlyCap}`);

  // (c) Hold expiry: holds made on the slow instance; both clocks moved to just before the first expiry.
  const [holder] = await makeWorkspaces(db, 1, {
    prefix: "verify-skew-holds",
    hourlyCap: 1_000_000,
    maxPending: 1_000,
    planId: () => "pro",
  });
  const ids: string[] = [];
  for (let i = 0; i < o.reservations; i++) {
    const r = await call(slow, "/api/v1/reservations", { action: "stems.separate" }, holder!.key);
    if (r.status === 201) ids.push(String(r.body.reservation_id));
    else problems.add(`a reservation was refused: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  const events = await db.usageEvent.findMany({ where: { id: { in: ids } }, select: { id: true, holdExpiresAt: true } });
  const firstExpiry = Math.min(...events.map((e) => e.holdExpiresAt!.getTime()));
  // The slow clock 1.5 s before the first expiry, the fast one already 0.5 s past it.
  const holdSkew = await skewClocks(targets, new Date(firstExpiry - 1_500));
  const commits = new Map<string, number>();
  await Promise.all([
    (async () => {
      // Newest first: the oldest holds, due first, are committed last, when the fast clock is well past them.
      for (const id of [...ids].reverse())
        commits.set(id, (await call(slow, `/api/v1/reservations/${id}/commit`, { actual: 1 }, holder!.key)).status);
    })(),
    (async () => {
      // The fast instance reads the workspace meanwhile (each read maintains it: expires what is due by its clock).
      for (let i = 0; i < ids.length * 2; i++) {
        await call(fast, "/api/v1/balance", undefined, holder!.key);
        await tick();
      }
    })(),
  ]);
  const after = await db.usageEvent.findMany({
    where: { id: { in: ids } },
    select: { id: true, status: true, holdExpiresAt: true, releasedAt: true, completedAt: true },
  });
  // A hold is released when the clock of the instance that maintains the workspace passes its expiry: by
  // the fast clock, never before (that would be a bug); by the slow clock that made it, up to the skew
  // before (all a per-instance clock allows; the figure says how much). A commit after the release is
  // still taken (the hold's credits are charged from the balance again): 200 and COMPLETED.
  let early = 0;
  let committed = 0;
  let released = 0;
  let lead = 0;
  for (const e of after) {
    // A commit of a pending hold releases it in the same step (releasedAt = completedAt): not an expiry.
    const atExpiry = e.releasedAt !== null && !(e.status === "COMPLETED" && e.completedAt?.getTime() === e.releasedAt.getTime());
    if (e.releasedAt && atExpiry) {
      released++;
      const byMaker = e.holdExpiresAt!.getTime() - (e.releasedAt.getTime() - holdSkew);
      lead = Math.max(lead, byMaker);
      if (e.releasedAt < e.holdExpiresAt! || byMaker > holdSkew + 500) {
        early++;
        problems.add(
          `hold ${e.id} released at ${e.releasedAt.toISOString()}, before its expiry ${e.holdExpiresAt!.toISOString()} (by more than the clocks' skew)`,
        );
      }
    }
    if (e.status === "COMPLETED") committed++;
    if ((commits.get(e.id) === 200) !== (e.status === "COMPLETED"))
      problems.add(`hold ${e.id} is ${e.status}, but its commit answered ${commits.get(e.id)}`);
  }
  const report = await checkInvariants(db, [...made.map((w) => w.id), capped!.id, holder!.id]);
  for (const v of report.violations) problems.add(v);
  for (const t of targets) await t.fetch("/api/test/clock", jsonRequest("POST", { reset: true }));
  if (crossCalls === 0 || ids.length === 0) problems.add("nothing was exercised");

  return {
    did: `2 instances ${(skew / 1000).toFixed(1)} s apart: ${o.workspaces} workspaces across a month boundary, ${capCalls} calls on a key capped at ${o.hourlyCap}/h, ${ids.length} holds committed on the slow one while the fast one crosses their expiry`,
    figures: `requests ${fmt(requests)} (${fmt(crossCalls)} across the boundary); grants off ${problems.list.filter((p) => p.includes("allowance grants")).length}; cap: ${capOk} ok of ${o.hourlyCap}; holds: ${committed} committed (${released} of them after their release at expiry, ≤ ${(lead / 1000).toFixed(1)} s before the slow clock's expiry), ${early} released early; violations ${report.violations.length}`,
    ok: problems.count === 0,
    problems: problems.list,
  };
}
