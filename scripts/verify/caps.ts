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
  const [pending] = await makeWorkspaces(db, 1, { prefix: "verify-pending", hourlyCap: 100_000, maxPending: o.pendingCap, planId: () => "pro" });

  const track = await Promise.all(
    Array.from({ length: o.calls }, async (_, i) => {
      const res = await targets[i % targets.length]!.fetch("/api/v1/track", jsonRequest("POST", { action: "background.refresh" }, bearer(capped!.key)));
      const body = await readBody(res);
      if (res.status === 429) {
        if (!res.headers.get("retry-after")) problems.add(`a 429 without Retry-After from ${targets[i % targets.length]!.name}`);
        if (!isErrorShape(body) || (body as { error: { code: string } }).error.code !== "rate_limited") problems.add(`a 429 that is not rate_limited: ${JSON.stringify(body)}`);
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
      const res = await targets[i % targets.length]!.fetch("/api/v1/reservations", jsonRequest("POST", { action: "stems.separate" }, bearer(pending!.key)));
      const body = await readBody(res);
      if (res.status === 429 && (!isErrorShape(body) || (body as { error: { code: string } }).error.code !== "too_many_pending")) problems.add(`a refused reservation that is not too_many_pending: ${JSON.stringify(body)}`);
      return res.status;
    }),
  );
  const held = holds.filter((s) => s === 201).length;
  const refused = holds.filter((s) => s === 429).length;
  const pendingRows = await db.usageEvent.count({ where: { workspaceId: pending!.id, status: "PENDING" } });
  if (held !== o.pendingCap || pendingRows !== o.pendingCap) problems.add(`${held} reservations held (${pendingRows} pending rows), expected exactly ${o.pendingCap}`);
  if (refused !== o.reservations - o.pendingCap) problems.add(`${refused} reservations refused with 429, expected ${o.reservations - o.pendingCap}`);

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
  const times = await Promise.all(targets.map(async (t) => Date.parse(((await (await t.fetch("/api/test/clock")).json()) as { now: string }).now)));
  const at = new Date((Math.floor(Math.max(...times) / 3_600_000) + 1) * 3_600_000 + 5 * 60_000).toISOString();
  for (const t of targets) {
    const res = await t.fetch("/api/test/clock", jsonRequest("POST", { set: at }));
    if (res.status !== 200) throw new Error(`setting the clock of ${t.name} failed: ${res.status}`);
  }
}
