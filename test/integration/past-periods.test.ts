import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { debit } from "@/lib/credits";
import { getBalance } from "@/lib/credits/balance";
import type { UsageStatus } from "@/lib/generated/prisma/client";
import { usageByGroup } from "@/lib/usage/attribution";
import { pastPeriodView, quickPicks, rangeChart, usageSummary, usedPeriods, type PeriodClock } from "@/lib/usage/periods";
import { newAccount, newApiClient } from "./helpers";

// Past periods on real PostgreSQL: which periods had usage, and each period's figures summed in SQL,
// checked at the boundaries (the last millisecond of a period and the first of the next) and against
// the events themselves. Each test has a workspace of its own; history is written straight into
// UsageEvent with the createdAt it needs, as the metering API would have months ago.

const d = (iso: string) => new Date(iso);

afterEach(() => {
  testClock.reset();
});

type EventInput = {
  at: string;
  action: string;
  credits: number;
  status?: UsageStatus;
  userId?: string;
  apiClientId?: string;
  unmetered?: boolean;
  x402?: string;
};

async function record(workspaceId: string, events: EventInput[]) {
  const prices = new Map(
    (await db.actionPrice.findMany({ where: { version: 1 }, select: { id: true, actionKey: true, category: true } })).map((p) => [
      p.actionKey,
      p,
    ]),
  );
  for (const e of events) {
    const price = prices.get(e.action)!;
    const event = await db.usageEvent.create({
      data: {
        workspaceId,
        actionKey: e.action,
        category: price.category,
        priceId: price.id,
        credits: e.credits,
        status: e.status ?? "COMPLETED",
        unmetered: e.unmetered ?? false,
        userId: e.userId ?? null,
        apiClientId: e.apiClientId ?? null,
        createdAt: d(e.at),
      },
    });
    // An x402 payment's UNMETERED entry names its transaction (lib/credits/paid.ts); Enterprise's names none.
    if (e.unmetered)
      await db.ledgerEntry.create({
        data: { workspaceId, usageEventId: event.id, amount: 0, kind: "UNMETERED", reference: e.x402 ?? null, createdAt: d(e.at) },
      });
  }
}

const monthly = (workspaceAnchor: Date, at: string): PeriodClock => ({ interval: "MONTH", anchor: workspaceAnchor, at: d(at) });

describe("monthly periods", () => {
  it("list the earlier months that had usage, newest first, and count the boundaries in the right month", async () => {
    const { workspaceId, userId } = await newAccount("periods-monthly");
    const key = await newApiClient(workspaceId);
    const stranger = await newAccount("periods-stranger");
    await record(workspaceId, [
      { at: "2026-08-05T10:00:00.000Z", action: "aria.chat", credits: 1 },
      { at: "2026-10-31T23:59:59.999Z", action: "aria.chat", credits: 1, userId }, // October's last instant
      { at: "2026-11-01T00:00:00.000Z", action: "image.generate", credits: 5, apiClientId: key.id }, // November's first
      { at: "2026-11-10T08:00:00.000Z", action: "aria.chat", credits: 1, apiClientId: key.id, unmetered: true, x402: "0xabc" },
      { at: "2026-11-15T12:00:00.000Z", action: "sonic.analysis", credits: 5, status: "REFUNDED", userId },
      { at: "2026-11-20T12:00:00.000Z", action: "video.generate", credits: 20, status: "PENDING", apiClientId: key.id },
      { at: "2026-11-30T23:59:59.999Z", action: "mcp.add_artist", credits: 2, userId, unmetered: true }, // November's last
      { at: "2026-12-01T00:00:00.000Z", action: "aria.chat", credits: 1, userId }, // December's first
      { at: "2027-02-03T09:00:00.000Z", action: "aria.chat", credits: 1 }, // the current period
    ]);
    await record(stranger.workspaceId, [{ at: "2026-09-10T10:00:00.000Z", action: "campaign.plan", credits: 10 }]);
    const clock = monthly(new Date(0), "2027-02-10T12:00:00Z");

    const starts = (await usedPeriods(workspaceId, clock)).map((p) => p.start.toISOString());
    expect(starts).toEqual([
      "2026-12-01T00:00:00.000Z",
      "2026-11-01T00:00:00.000Z",
      "2026-10-01T00:00:00.000Z",
      "2026-08-01T00:00:00.000Z",
    ]); // not the stranger's September
    expect((await usedPeriods(workspaceId, clock, 2)).map((p) => p.end.toISOString())).toEqual([
      "2027-01-01T00:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
    ]);

    const october = await usageSummary(workspaceId, { from: d("2026-10-01T00:00:00Z"), to: d("2026-11-01T00:00:00Z") });
    expect([october.credits, october.events, october.daily]).toEqual([
      1,
      1,
      [{ day: "2026-10-31", credits: { ARIA: 1, SONIC: 0, IMAGE: 0, VIDEO: 0, MCP: 0, OTHER: 0 } }],
    ]);

    const november = await usageSummary(workspaceId, { from: d("2026-11-01T00:00:00Z"), to: d("2026-12-01T00:00:00Z") });
    expect(november.credits).toBe(8); // image 5 + x402 aria 1 + unmetered mcp 2; not the refund, not the hold
    expect(november.events).toBe(3);
    expect(november.recorded).toBe(5);
    expect(november.unmetered).toEqual({ credits: 2, events: 1 });
    expect(november.x402).toEqual({ credits: 1, events: 1 });
    expect(november.breakdown).toEqual([
      { category: "ARIA", credits: 1, events: 1 },
      { category: "SONIC", credits: 0, events: 0 },
      { category: "IMAGE", credits: 5, events: 1 },
      { category: "VIDEO", credits: 0, events: 0 },
      { category: "MCP", credits: 2, events: 1 },
      { category: "OTHER", credits: 0, events: 0 },
    ]);
    const byDay = Object.fromEntries(november.daily.map((r) => [r.day, r.credits]));
    expect([byDay["2026-11-01"]?.IMAGE, byDay["2026-11-10"]?.ARIA, byDay["2026-11-30"]?.MCP]).toEqual([5, 1, 2]);
    expect(Object.keys(byDay).every((day) => day >= "2026-11-01" && day <= "2026-11-30")).toBe(true);

    // The SQL agrees with the events summed in plain code.
    const rows = await db.usageEvent.findMany({
      where: { workspaceId, createdAt: { gte: d("2026-11-01T00:00:00Z"), lt: d("2026-12-01T00:00:00Z") } },
    });
    expect(november.credits).toBe(rows.filter((r) => r.status === "COMPLETED").reduce((s, r) => s + r.credits, 0));
    expect(november.recorded).toBe(rows.length);

    // The same range grouped by action, member and key (the usage history's Group by).
    const range = { from: d("2026-11-01T00:00:00Z"), to: d("2026-12-01T00:00:00Z") };
    expect(await usageByGroup(workspaceId, range, "action")).toEqual([
      { id: "image.generate", events: 1, credits: 5 },
      { id: "mcp.add_artist", events: 1, credits: 2 },
      { id: "aria.chat", events: 1, credits: 1 },
      { id: "sonic.analysis", events: 1, credits: 0 }, // ties by action key
      { id: "video.generate", events: 1, credits: 0 },
    ]);
    const byMember = await usageByGroup(workspaceId, range, "member");
    expect(byMember).toEqual([
      { id: null, events: 3, credits: 6 },
      { id: userId, events: 2, credits: 2 },
    ]);
    expect(await usageByGroup(workspaceId, range, "key")).toEqual([
      { id: key.id, events: 3, credits: 6 },
      { id: null, events: 2, credits: 2 },
    ]);
    expect(await usageByGroup(workspaceId, { ...range, userId }, "action")).toEqual([
      { id: "mcp.add_artist", events: 1, credits: 2 },
      { id: "sonic.analysis", events: 1, credits: 0 },
    ]);
  });

  it("make the billing page's view of ?period=, and the usage history's quick picks and chart", async () => {
    const { workspaceId } = await newAccount("periods-view");
    await record(workspaceId, [
      { at: "2026-06-30T23:59:59.000Z", action: "image.generate", credits: 5 },
      { at: "2026-07-01T00:00:00.000Z", action: "campaign.plan", credits: 10 },
      { at: "2026-09-12T00:00:00.000Z", action: "aria.chat", credits: 1 },
    ]);
    testClock.set(d("2026-10-20T12:00:00Z"));

    const view = await pastPeriodView(workspaceId, "2026-07-01");
    expect(view.note).toBeNull();
    expect(view.options).toEqual([
      { value: "2026-09-01", label: "September 2026" },
      { value: "2026-07-01", label: "July 2026" },
      { value: "2026-06-01", label: "June 2026" },
    ]);
    expect(view.past).toMatchObject({
      value: "2026-07-01",
      label: "July 2026",
      start: "2026-07-01T00:00:00.000Z",
      end: "2026-08-01T00:00:00.000Z",
      history: { from: "2026-07-01", to: "2026-07-31" },
    });
    expect([view.past!.usage.credits, view.past!.usage.events]).toEqual([10, 1]);

    const inside = await pastPeriodView(workspaceId, "2026-07-02");
    expect(inside.past).toBeNull();
    expect(inside.note).toBe("No credit period starts on Jul 2, 2026 (it is inside July 2026), so the current period is shown.");
    // An empty period may be named: it is shown (nothing used) and offered while it is.
    const empty = await pastPeriodView(workspaceId, "2026-08-01");
    expect([empty.past?.usage.credits, empty.past?.usage.recorded, empty.options.at(-1)]).toEqual([
      0,
      0,
      { value: "2026-08-01", label: "August 2026" },
    ]);
    expect((await pastPeriodView(workspaceId, "2026-10-01")).past).toBeNull();

    expect(await quickPicks(workspaceId)).toEqual([
      { label: "This period", from: "2026-10-01", to: "2026-10-31" },
      { label: "Last period", from: "2026-09-01", to: "2026-09-30" },
      { label: "July 2026", from: "2026-07-01", to: "2026-07-31" },
      { label: "June 2026", from: "2026-06-01", to: "2026-06-30" },
    ]);

    const chart = await rangeChart(workspaceId, { from: d("2026-06-01T00:00:00Z"), to: d("2026-07-02T00:00:00Z") });
    expect(chart?.bucket).toBe("day");
    expect(chart?.keys).toHaveLength(31);
    expect(chart?.usage.daily).toEqual([
      { day: "2026-06-30", credits: { ARIA: 0, SONIC: 0, IMAGE: 5, VIDEO: 0, MCP: 0, OTHER: 0 } },
      { day: "2026-07-01", credits: { ARIA: 0, SONIC: 0, IMAGE: 0, VIDEO: 0, MCP: 0, OTHER: 10 } },
    ]);
    // Open-ended: from the first event to today, by month.
    const all = await rangeChart(workspaceId, {});
    expect(all?.bucket).toBe("month");
    expect([all?.keys[0], all?.keys.at(-1)]).toEqual(["2026-06-01", "2026-10-01"]);
    expect(all?.usage.daily.map((r) => r.day)).toEqual(["2026-06-01", "2026-07-01", "2026-09-01"]);
  });

  it("sum the current period as the billing panel does (completed credits by category)", async () => {
    const { workspaceId, userId } = await newAccount("periods-current");
    const actor = { userId };
    await debit({ workspaceId, actionKey: "aria.chat", actor });
    await debit({ workspaceId, actionKey: "image.generate", quantity: 2, actor });
    await debit({ workspaceId, actionKey: "campaign.plan", actor });
    const balance = await getBalance(workspaceId);
    const summary = await usageSummary(workspaceId, { from: d(balance.period.start), to: d(balance.period.end) });
    expect(balance.used).toBe(21);
    expect(summary.credits).toBe(balance.used);
    expect(summary.breakdown).toEqual(balance.breakdown);
    expect(summary.daily).toEqual(balance.daily);
  });
});

describe("annual plans' periods", () => {
  it("run from the renewal day (clamped to short months), and split their boundary instants the same way", async () => {
    const { workspaceId } = await newAccount("periods-annual");
    await db.workspace.update({ where: { id: workspaceId }, data: { billingInterval: "YEAR", periodAnchor: d("2026-01-31T09:30:00Z") } });
    await record(workspaceId, [
      { at: "2026-02-27T23:59:59.999Z", action: "aria.chat", credits: 1 }, // Jan 31 – Feb 27
      { at: "2026-02-28T00:00:00.000Z", action: "image.generate", credits: 5 }, // Feb 28 – Mar 30
      { at: "2026-11-29T23:59:59.999Z", action: "campaign.plan", credits: 10 }, // Oct 31 – Nov 29
      { at: "2026-11-30T00:00:00.000Z", action: "aria.chat", credits: 1 }, // Nov 30 – Dec 30
    ]);
    const clock: PeriodClock = { interval: "YEAR", anchor: d("2026-01-31T09:30:00Z"), at: d("2027-01-05T00:00:00Z") };
    const periods = await usedPeriods(workspaceId, clock);
    expect(periods.map((p) => [p.start.toISOString().slice(0, 10), p.end.toISOString().slice(0, 10)])).toEqual([
      ["2026-11-30", "2026-12-31"],
      ["2026-10-31", "2026-11-30"],
      ["2026-02-28", "2026-03-31"],
      ["2026-01-31", "2026-02-28"],
    ]);
    const credits = await Promise.all(periods.map(async (p) => (await usageSummary(workspaceId, { from: p.start, to: p.end })).credits));
    expect(credits).toEqual([1, 10, 5, 1]);

    testClock.set(clock.at);
    const view = await pastPeriodView(workspaceId, "2026-10-31");
    expect(view.past).toMatchObject({ label: "Oct 31 – Nov 29, 2026", history: { from: "2026-10-31", to: "2026-11-29" } });
    expect(view.past?.usage.credits).toBe(10);
    expect((await pastPeriodView(workspaceId, "2026-11-01")).note).toMatch(
      /^No credit period starts on Nov 1, 2026 \(it is inside Oct 31 – Nov 29, 2026\)/,
    );
  });
});
