import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { adjust, commitReservation, debit, refund, releaseReservation, reserve, type ChargeResult } from "@/lib/credits";
import type { GrantType } from "@/lib/generated/prisma/client";
import { RunningBalance } from "@/lib/usage/balance";
import { CSV_COLUMNS, usageCsvFilename, usageCsvStream } from "@/lib/usage/csv";
import { usageHistoryBatches, usageHistoryPage, type HistoryRow } from "@/lib/usage/history";
import { historyStatus } from "@/lib/usage/labels";
import { parseHistoryQuery } from "@/lib/usage/params";
import { encodeCursor, type UsageFilters } from "@/lib/usage/query";
import { parseCsv } from "../support/csv";
import { expectInvariants, newAccount, newApiClient } from "./helpers";

// Every value below is checked against the database itself: the ledger replayed entry by entry, the
// events filtered in plain code. One workspace gets a day-by-day history of every kind of event.

const HOUR = 3_600_000;
const NASTY = '=HYPERLINK("http://evil.example/?q=1","click, me")\nline two';

function eventId(r: ChargeResult): string {
  if (r.outcome === "denied") throw new Error("expected the action to be accepted");
  return r.eventId;
}

let ws: string; // the workspace under test
let keyLabel: string; // "test key (cb_test_…)": the API key behind most events, as the CSV names it
let other: string; // a second workspace: nothing of it may ever show
let testAction: string; // an action of its own with two price versions
let day0: Date;
const ids: Record<string, string> = {};

async function at<T>(time: Date, fn: () => Promise<T>): Promise<T> {
  testClock.set(time);
  return fn();
}

beforeAll(async () => {
  const a = await newAccount("history"); // Free: 100 plan + 300 bonus
  const b = await newAccount("history-other");
  ws = a.workspaceId;
  other = b.workspaceId;
  const key = await newApiClient(ws);
  keyLabel = `${key.name} (${key.prefix})`;
  const actor = { apiClientId: key.id };
  const now = Date.now();
  day0 = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 2));
  const h = (n: number) => new Date(day0.getTime() + n * HOUR);
  testAction = `test.history.${ws}`;
  await db.actionPrice.create({
    data: { actionKey: testAction, version: 1, name: "History test action", category: "OTHER", credits: 3, effectiveFrom: new Date(0) },
  });

  ids.aria = eventId(await at(h(1), () => debit({ workspaceId: ws, actionKey: "aria.chat", subject: "artist-1", actor })));
  ids.image = eventId(await at(h(2), () => debit({ workspaceId: ws, actionKey: "image.generate", quantity: 2, subject: NASTY, actor })));
  ids.free = eventId(await at(h(3), () => debit({ workspaceId: ws, actionKey: "background.refresh", actor })));
  ids.committed = eventId(await at(h(4), () => reserve({ workspaceId: ws, actionKey: "stems.separate", subject: "release-9", actor })));
  await at(h(4.5), () => commitReservation({ workspaceId: ws, reservationId: ids.committed!, actual: 12 }));
  await at(h(5), () => adjust({ workspaceId: ws, credits: 50, reason: "goodwill", actorUserId: a.userId }));
  ids.released = eventId(await at(h(6), () => reserve({ workspaceId: ws, actionKey: "stems.separate", actor })));
  await at(h(6 + 1 / 6), () => releaseReservation({ workspaceId: ws, reservationId: ids.released! }));
  ids.refunded = eventId(await at(h(7), () => debit({ workspaceId: ws, actionKey: "sonic.analysis", subject: "track-7", actor })));
  ids.spanning = eventId(await at(h(8), () => debit({ workspaceId: ws, actionKey: "campaign.plan", quantity: 8, actor })));
  await at(h(9), () => refund({ workspaceId: ws, eventId: ids.refunded! }));

  ids.v1 = eventId(await at(h(34), () => debit({ workspaceId: ws, actionKey: testAction, actor })));
  await db.actionPrice.create({
    data: { actionKey: testAction, version: 2, name: "History test action", category: "OTHER", credits: 4, effectiveFrom: h(35) },
  });
  ids.v2 = eventId(await at(h(36), () => debit({ workspaceId: ws, actionKey: testAction, subject: "+cmd", actor })));
  // No code path stores a rejected event today; the schema allows one, and the history shows it.
  ids.rejected = (
    await db.usageEvent.create({
      data: {
        workspaceId: ws,
        actionKey: "aria.chat",
        category: "ARIA",
        priceId: (await db.actionPrice.findFirstOrThrow({ where: { actionKey: "aria.chat", version: 1 } })).id,
        credits: 1,
        subject: "-1+2",
        status: "REJECTED",
        createdAt: h(37),
      },
    })
  ).id;
  const remaining = (await db.creditGrant.findMany({ where: { workspaceId: ws } })).reduce((s, g) => s + g.remaining, 0);
  await at(h(38), () => adjust({ workspaceId: ws, credits: 3 - remaining, reason: "drain for the queue", actorUserId: a.userId }));
  ids.queuedThenCharged = eventId(
    await at(h(39), () => debit({ workspaceId: ws, actionKey: "sonic.analysis", subject: "@mention", actor })),
  );
  // 30 tracks (150 credits): more than the next month's allowance, so it is still queued at the end.
  ids.queued = eventId(await at(h(40), () => debit({ workspaceId: ws, actionKey: "sonic.analysis", quantity: 30, actor })));
  await at(h(57), () => adjust({ workspaceId: ws, credits: 4, reason: "refill", actorUserId: a.userId })); // charges the first queued event
  // The next month: the rollover expires the plan's credits and grants new ones before this debit.
  const nextMonth = new Date(Date.UTC(h(57).getUTCFullYear(), h(57).getUTCMonth() + 1, 1, 1));
  ids.afterReset = eventId(await at(nextMonth, () => debit({ workspaceId: ws, actionKey: "aria.chat", subject: "artist-2", actor })));
  ids.held = eventId(
    await at(new Date(nextMonth.getTime() + HOUR), () =>
      reserve({ workspaceId: ws, actionKey: "video.generate", holdMs: 60 * 24 * HOUR, actor }),
    ),
  );

  await at(h(1.5), () => debit({ workspaceId: other, actionKey: "aria.chat", subject: "other-1" }));
  await at(h(2.5), () => debit({ workspaceId: other, actionKey: "image.generate", subject: "other-2" }));
  testClock.reset();
});

afterAll(() => {
  testClock.reset();
});

// ───────────── what the database says, computed independently of lib/usage ─────────────

async function ledger() {
  const entries = await db.ledgerEntry.findMany({
    where: { workspaceId: ws },
    orderBy: { id: "asc" },
    select: { id: true, amount: true, kind: true, createdAt: true, usageEventId: true, grant: { select: { type: true } } },
  });
  let sum = 0;
  const after = new Map<bigint, number>();
  for (const e of entries) {
    sum += e.amount;
    after.set(e.id, sum);
  }
  return { entries, after };
}

async function allEvents(workspaceId = ws) {
  return db.usageEvent.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { price: { select: { version: true, name: true } } },
  });
}

/** Balance right after the event's last entry; an event without entries: after the last entry at or before it. */
async function expectedBalances() {
  const { entries, after } = await ledger();
  const events = await allEvents();
  const result = new Map<string, number>();
  for (const ev of events) {
    const own = entries.filter((e) => e.usageEventId === ev.id);
    const anchor =
      own.length > 0
        ? own[own.length - 1]
        : [...entries]
            .sort((x, y) => +x.createdAt - +y.createdAt || Number(x.id - y.id))
            .filter((e) => e.createdAt <= ev.createdAt)
            .pop();
    result.set(ev.id, anchor ? after.get(anchor.id)! : 0);
  }
  return result;
}

async function expectedPaidFrom() {
  const { entries } = await ledger();
  const events = await allEvents();
  const order: GrantType[] = ["SUBSCRIPTION", "BONUS", "PURCHASED"];
  return new Map(
    events.map((ev) => {
      const kinds = ev.status === "PENDING" ? ["HOLD", "RELEASE"] : ["DEBIT"];
      const byType = new Map<GrantType, number>();
      for (const e of entries)
        if (e.usageEventId === ev.id && e.grant && kinds.includes(e.kind))
          byType.set(e.grant.type, (byType.get(e.grant.type) ?? 0) - e.amount);
      const parts = order.filter((t) => (byType.get(t) ?? 0) !== 0).map((type) => ({ type, credits: byType.get(type)! }));
      return [
        ev.id,
        { kind: ev.unmetered ? "unmetered" : parts.length === 0 ? "none" : ev.status === "PENDING" ? "held" : "paid", parts },
      ] as const;
    }),
  );
}

async function walk(filters: UsageFilters, limit: number): Promise<HistoryRow[]> {
  const rows: HistoryRow[] = [];
  let page = await usageHistoryPage(ws, { filters, limit });
  rows.push(...page.rows);
  while (page.older) {
    const last = page.rows[page.rows.length - 1]!;
    expect(page.older).toBe(encodeCursor({ createdAt: last.at, id: last.id }));
    page = await usageHistoryPage(ws, { filters, limit, before: { createdAt: last.at, id: last.id } });
    rows.push(...page.rows);
  }
  return rows;
}

// ───────────── tests ─────────────

describe("usage history", () => {
  it("shows each kind of event with its status, cost, buckets, price version and running balance", async () => {
    const rows = new Map((await walk({}, 50)).map((r) => [r.id, r]));
    const row = (name: string) => rows.get(ids[name]!)!;
    // 400 to start (100 plan + 300 bonus): aria 1 → 399, image 2×5 → 389, free → 389, stems held 15 then
    // committed at 12 → 377, +50 → 427, stems held and released → 427, sonic 5 → 422, campaign 80 → 342,
    // the sonic refund → 347.
    expect(row("aria")).toMatchObject({
      status: "completed",
      credits: 1,
      balanceAfter: 399,
      priceVersion: 1,
      actionName: "Aria chat conversation",
      subject: "artist-1",
    });
    expect(row("aria").paidFrom).toEqual({ kind: "paid", parts: [{ type: "SUBSCRIPTION", credits: 1 }] });
    expect(row("image")).toMatchObject({ credits: 10, quantity: 2, balanceAfter: 389, subject: NASTY });
    expect(row("free")).toMatchObject({ credits: 0, balanceAfter: 389, paidFrom: { kind: "none", parts: [] } });
    expect(row("committed")).toMatchObject({
      status: "completed",
      credits: 12,
      balanceAfter: 377,
      paidFrom: { kind: "paid", parts: [{ type: "SUBSCRIPTION", credits: 12 }] },
    });
    // Settled at the commit, half an hour later (the test clock runs on from where it is set).
    expect(Math.abs(row("committed").balanceAt.getTime() - row("committed").at.getTime() - HOUR / 2)).toBeLessThan(5_000);
    expect(row("released")).toMatchObject({ status: "released", balanceAfter: 427, paidFrom: { kind: "none", parts: [] } });
    expect(row("spanning")).toMatchObject({ credits: 80, balanceAfter: 342 });
    expect(row("spanning").paidFrom).toEqual({
      kind: "paid",
      parts: [
        { type: "SUBSCRIPTION", credits: 72 },
        { type: "BONUS", credits: 8 },
      ],
    });
    expect(row("refunded")).toMatchObject({
      status: "refunded",
      balanceAfter: 347,
      paidFrom: { kind: "paid", parts: [{ type: "SUBSCRIPTION", credits: 5 }] },
    });
    expect(row("v1")).toMatchObject({ priceVersion: 1, credits: 3 });
    expect(row("v2")).toMatchObject({ priceVersion: 2, credits: 4 });
    expect(row("rejected")).toMatchObject({
      status: "rejected",
      paidFrom: { kind: "none", parts: [] },
      balanceAfter: row("v2").balanceAfter,
    });
    expect(row("queuedThenCharged")).toMatchObject({ status: "completed", credits: 5, balanceAfter: 2 }); // 3 + 4 − 5
    expect(row("queued")).toMatchObject({ status: "queued", credits: 150, balanceAfter: 3, paidFrom: { kind: "none", parts: [] } });
    expect(row("held")).toMatchObject({ status: "held", credits: 20 });
    expect(row("held").paidFrom.kind).toBe("held");
    expect(row("held").paidFrom.parts.reduce((s, p) => s + p.credits, 0)).toBe(20);
    // The newest entry of all is the hold: its balance is the sum of the grants' remaining.
    const grants = await db.creditGrant.findMany({ where: { workspaceId: ws } });
    expect(row("held").balanceAfter).toBe(grants.reduce((s, g) => s + g.remaining, 0));
    await expectInvariants(ws, other);
  });

  it("pagination walks every event exactly once, newest first, both ways, and never another workspace's", async () => {
    const expected = (await allEvents()).map((e) => e.id);
    expect(expected.length).toBe(14);
    const otherIds = new Set((await allEvents(other)).map((e) => e.id));
    expect(otherIds.size).toBe(2);
    for (const limit of [1, 2, 3, 5, 50]) {
      const rows = await walk({}, limit);
      expect(rows.map((r) => r.id)).toEqual(expected);
      expect(rows.some((r) => otherIds.has(r.id))).toBe(false);
    }
    // Back from the oldest page with "newer" cursors: the same events, in the same order.
    const limit = 4;
    let page = await usageHistoryPage(ws, { filters: {}, limit, before: { createdAt: new Date(0), id: "" }, after: undefined });
    expect(page.rows).toEqual([]);
    expect(page.newer).not.toBeNull();
    const oldest = (
      await db.usageEvent.findMany({ where: { workspaceId: ws }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 1 })
    )[0]!;
    const back: string[] = [];
    page = await usageHistoryPage(ws, { filters: {}, limit, after: { createdAt: new Date(oldest.createdAt.getTime() - 1), id: "" } });
    back.unshift(...page.rows.map((r) => r.id));
    expect(page.older).toBeNull();
    while (page.newer) {
      const first = page.rows[0]!;
      page = await usageHistoryPage(ws, { filters: {}, limit, after: { createdAt: first.at, id: first.id } });
      back.unshift(...page.rows.map((r) => r.id));
    }
    expect(back).toEqual(expected);
    // The other workspace sees only its own two events.
    expect((await usageHistoryPage(other, { filters: {} })).rows.map((r) => r.id).sort()).toEqual([...otherIds].sort());
  });

  it("filters by UTC days, action and status return exactly the matching events", async () => {
    const events = await allEvents();
    const day = (offset: number) => new Date(day0.getTime() + offset * 24 * HOUR).toISOString().slice(0, 10);
    const actionKeys = (await db.actionPrice.findMany({ select: { actionKey: true } })).map((p) => p.actionKey);
    const cases: { params: Record<string, string>; match: (e: (typeof events)[number]) => boolean }[] = [
      {
        params: { from: day(1), to: day(1) },
        match: (e) => e.createdAt >= new Date(day0.getTime() + 24 * HOUR) && e.createdAt < new Date(day0.getTime() + 48 * HOUR),
      },
      { params: { from: day(1) }, match: (e) => e.createdAt >= new Date(day0.getTime() + 24 * HOUR) },
      { params: { to: day(0) }, match: (e) => e.createdAt < new Date(day0.getTime() + 24 * HOUR) },
      { params: { action: "sonic.analysis" }, match: (e) => e.actionKey === "sonic.analysis" },
      { params: { action: testAction }, match: (e) => e.actionKey === testAction },
      { params: { status: "completed" }, match: (e) => e.status === "COMPLETED" },
      { params: { status: "queued" }, match: (e) => e.status === "QUEUED" },
      { params: { status: "held" }, match: (e) => e.status === "PENDING" },
      { params: { status: "pending" }, match: (e) => e.status === "PENDING" },
      { params: { status: "released" }, match: (e) => e.status === "RELEASED" },
      { params: { status: "refunded" }, match: (e) => e.status === "REFUNDED" },
      {
        params: { action: "sonic.analysis", status: "completed", from: day(0), to: day(2) },
        match: (e) =>
          e.actionKey === "sonic.analysis" &&
          e.status === "COMPLETED" &&
          e.createdAt >= day0 &&
          e.createdAt < new Date(day0.getTime() + 72 * HOUR),
      },
      { params: { action: "aria.chat", status: "refunded" }, match: () => false },
    ];
    for (const { params, match } of cases) {
      const query = parseHistoryQuery(params, actionKeys);
      expect(query.problems).toEqual([]);
      const expected = events.filter(match).map((e) => e.id);
      const got = (await walk(query.filters, 2)).map((r) => r.id);
      expect(got, JSON.stringify(params)).toEqual(expected);
      if (params.status !== "refunded" || params.action !== "aria.chat")
        expect(expected.length, `${JSON.stringify(params)} matches something`).toBeGreaterThan(0);
    }
    // Each status filter keeps exactly its events; together they cover every event once (rejected: the
    // calls a budget refused, here one hand-made).
    const byStatus = await Promise.all(
      ["completed", "queued", "held", "released", "refunded", "rejected"].map(async (s) =>
        (await walk(parseHistoryQuery({ status: s }, actionKeys).filters, 50)).map((r) => r.id),
      ),
    );
    expect(byStatus.map((l) => l.length)).toEqual([events.filter((e) => e.status === "COMPLETED").length, 1, 1, 1, 1, 1]);
    expect(byStatus.flat().sort()).toEqual(events.map((e) => e.id).sort());
  });

  it("reads filters from the URL, and reports what it cannot use instead of guessing", () => {
    const keys = ["aria.chat", "sonic.analysis"];
    const q = parseHistoryQuery(new URLSearchParams("from=2026-03-01&to=2026-03-31&action=aria.chat&status=HELD"), keys);
    expect(q.filters).toEqual({
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-04-01T00:00:00Z"),
      action: "aria.chat",
      status: "PENDING",
    });
    expect(q.applied).toEqual({
      from: "2026-03-01",
      to: "2026-03-31",
      action: "aria.chat",
      status: "held",
      member: "",
      key: "",
      group: "",
    });
    expect(q.filtered).toBe(true);

    const bad = parseHistoryQuery(
      { from: "2026-02-30", to: "yesterday", action: "nope.nope", status: "lost", before: "not-a-cursor" },
      keys,
    );
    expect(bad.filters).toEqual({});
    expect(bad.filtered).toBe(false);
    expect(bad.before).toBeUndefined();
    expect(bad.applied).toEqual({ from: "", to: "", action: "", status: "", member: "", key: "", group: "" });
    expect(bad.problems.map((p) => p.field)).toEqual(["from", "to", "action", "status", "cursor"]);

    const reversed = parseHistoryQuery({ from: "2026-03-05", to: "2026-03-01" }, keys);
    expect(reversed.problems).toEqual([{ field: "to", message: "“To” is before “From”, so no day is in the range." }]);
    const cursor = encodeCursor({ createdAt: new Date("2026-03-02T10:00:00Z"), id: "evt" });
    expect(parseHistoryQuery({ after: cursor }, keys).after).toEqual({ createdAt: new Date("2026-03-02T10:00:00Z"), id: "evt" });
  });

  it("'paid from' matches the ledger for every event", async () => {
    const expected = await expectedPaidFrom();
    const rows = await walk({}, 3);
    expect(rows.length).toBe(expected.size);
    for (const row of rows) expect(row.paidFrom, row.id).toEqual(expected.get(row.id));
  });

  it("the running balance equals the ledger replayed at each event, on pages of any size and across export batches", async () => {
    const expected = await expectedBalances();
    for (const limit of [1, 2, 4, 7, 50]) {
      for (const row of await walk({}, limit)) expect(row.balanceAfter, `${row.id} (pages of ${limit})`).toBe(expected.get(row.id));
    }
    for (const filters of [{}, { status: "COMPLETED" as const }, { action: "sonic.analysis" }]) {
      for (const size of [1, 2, 3, 100]) {
        let n = 0;
        for await (const batch of usageHistoryBatches(ws, filters, size)) {
          for (const row of batch) expect(row.balanceAfter, `${row.id} (batches of ${size})`).toBe(expected.get(row.id));
          n += batch.length;
        }
        const where = {
          workspaceId: ws,
          ...("status" in filters ? { status: filters.status } : {}),
          ...("action" in filters ? { actionKey: filters.action } : {}),
        };
        expect(n).toBe(await db.usageEvent.count({ where }));
      }
    }
  });

  it("RunningBalance is exact for any ids asked in any order, whatever it already knows or forgets", async () => {
    const { entries, after } = await ledger();
    const maxId = entries[entries.length - 1]!.id + 5n;
    const replay = (k: bigint) => {
      let value = 0;
      for (const [id, v] of after) if (id <= k) value = v;
      return value;
    };
    const ownIds = entries.map((e) => e.id);
    const anyId = fc.oneof(fc.constantFrom(...ownIds), fc.bigInt({ min: 0n, max: maxId }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(anyId, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 2, max: 12 }),
        async (calls, capacity) => {
          const balance = new RunningBalance(ws, capacity);
          for (const wanted of calls) {
            const got = await balance.after(db, wanted);
            for (const id of wanted) expect(got.get(id), `B(${id})`).toBe(replay(id));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("exports the filtered set as CSV: header, one escaped row per event, same values as the database", async () => {
    const events = await allEvents();
    const balances = await expectedBalances();
    const paid = await expectedPaidFrom();
    const label = { SUBSCRIPTION: "Plan", BONUS: "Bonus", PURCHASED: "Purchased" } as const;
    const guard = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

    const text = await new Response(usageCsvStream(ws, {}, 3)).text();
    const records = parseCsv(text);
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    expect(records.slice(1)).toEqual(
      events.map((e) => {
        const p = paid.get(e.id)!;
        const parts = p.parts.map((x) => `${label[x.type]} ${x.credits}`).join("; ");
        return [
          e.createdAt.toISOString(),
          e.actionKey,
          e.price.name,
          guard(e.subject ?? ""),
          String(e.credits),
          historyStatus(e.status),
          p.kind === "held" ? `held: ${parts}` : parts,
          `v${e.price.version}`,
          String(balances.get(e.id)),
          e.id,
          "", // no event of this workspace was caused by a member directly
          e.apiClientId ? keyLabel : "",
        ];
      }),
    );
    // The nasty subject is quoted (comma, quotes, newline) and cannot run as a formula.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?q=1"",""click, me"")\nline two"`);
    expect(records.find((r) => r[9] === ids.v2)?.[3]).toBe("'+cmd");
    expect(records.find((r) => r[9] === ids.rejected)?.[3]).toBe("'-1+2");
    expect(records.find((r) => r[9] === ids.queuedThenCharged)?.[3]).toBe("'@mention");
    expect(text.endsWith("\r\n")).toBe(true);

    // Filtered: only the matching events; another workspace's export holds only its own.
    const refunds = parseCsv(await new Response(usageCsvStream(ws, { status: "REFUNDED" })).text());
    expect(refunds.slice(1).map((r) => r[9])).toEqual([ids.refunded]);
    const theirs = parseCsv(await new Response(usageCsvStream(other, {})).text());
    expect(
      theirs
        .slice(1)
        .map((r) => r[3])
        .sort(),
    ).toEqual(["other-1", "other-2"]);
    const none = await new Response(usageCsvStream(ws, { action: "no.such.action" })).text();
    expect(none).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
  });

  it("names the file after the workspace and the day", () => {
    expect(usageCsvFilename({ id: "w1", name: "Big Label's workspace" }, new Date("2026-03-04T23:59:00Z"))).toBe(
      "creditbook-usage-big-label-s-workspace-2026-03-04.csv",
    );
    expect(usageCsvFilename({ id: "w1", name: "Ünïcode “quoted”" }, new Date("2026-03-04T00:00:00Z"))).toBe(
      "creditbook-usage-unicode-quoted-2026-03-04.csv",
    );
    expect(usageCsvFilename({ id: "w1", name: "日本" }, new Date("2026-03-04T00:00:00Z"))).toBe("creditbook-usage-w1-2026-03-04.csv");
  });
});
