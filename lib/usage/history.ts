import "server-only";
import { db, utcTimestamp, type Tx } from "@/lib/db";
import { Prisma, type GrantType, type LedgerKind } from "@/lib/generated/prisma/client";
import { historyStatus, type HistoryStatus, type PaidFrom } from "@/lib/usage/labels";
import { RunningBalance } from "@/lib/usage/balance";
import { budgetNames } from "@/lib/credits";
import { encodeCursor, NEWEST_FIRST, OLDEST_FIRST, usageWhere, type UsageCursor, type UsageFilters } from "@/lib/usage/query";

/**
 * The portal's usage history (Settings → Usage) and its CSV export: every event of a workspace with
 * which buckets paid for it, the price version it was charged at, and the running balance.
 * Everything is read for one workspace; every query below names it.
 */

/** Spend order (docs/design.md "Debits"), which is also the order a breakdown is shown in. */
const GRANT_TYPES: GrantType[] = ["SUBSCRIPTION", "BONUS", "PURCHASED"];

export type HistoryRow = {
  id: string;
  at: Date;
  actionKey: string;
  actionName: string;
  priceVersion: number;
  subject: string | null;
  quantity: number;
  /** Charged, held (held) or due (queued). */
  credits: number;
  status: HistoryStatus;
  /** A commit above its hold that the balance could not cover (charged what the hold covered). */
  short: boolean;
  refundedAt: Date | null;
  paidFrom: PaidFrom;
  /** The workspace's total credits right after the event's last ledger entry (RunningBalance). */
  balanceAfter: number;
  /**
   * When that entry was written: later than `at` when the event settled later (a reservation
   * committed or released, a queued event charged at the reset, a refund). An event with no entries
   * (zero-cost, queued, rejected) shows the balance at its own time: after the last entry written at
   * or before it.
   */
  balanceAt: Date;
  /** Who caused the event: the member (user id) or the API key (id); see lib/usage/attribution.ts. */
  userId: string | null;
  apiClientId: string | null;
  /** A rejected event: which budget refused it, in words ("the API key's daily budget"). */
  refusedBy: string | null;
};

const eventSelect = {
  id: true,
  createdAt: true,
  actionKey: true,
  subject: true,
  quantity: true,
  credits: true,
  status: true,
  short: true,
  unmetered: true,
  refundedAt: true,
  priceId: true,
  userId: true,
  apiClientId: true,
  rejectedBudgetId: true,
} satisfies Prisma.UsageEventSelect;
type EventRecord = Prisma.UsageEventGetPayload<{ select: typeof eventSelect }>;
type EntryRecord = {
  id: bigint;
  amount: number;
  kind: LedgerKind;
  createdAt: Date;
  usageEventId: string;
  grantType: GrantType | null;
  reference: string | null;
};

// Reads of one page (or export batch) share a snapshot: events, their entries and the balances agree.
const SNAPSHOT = { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 30_000 } as const;

/**
 * Price versions by id. Rows of the price table are never updated (an edit inserts a version), so an
 * export reads each one once, not once per batch.
 */
class PriceVersions {
  private known = new Map<string, { version: number; name: string }>();

  async load(tx: Tx, ids: string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.known.has(id));
    if (missing.length === 0) return;
    const rows = await tx.actionPrice.findMany({ where: { id: { in: missing } }, select: { id: true, version: true, name: true } });
    for (const r of rows) this.known.set(r.id, { version: r.version, name: r.name });
  }

  get(id: string): { version: number; name: string } {
    return this.known.get(id)!;
  }
}

/** Ledger entries, paid-from breakdown and running balance for a list of events of one workspace. */
async function toRows(
  tx: Tx,
  workspaceId: string,
  events: EventRecord[],
  balance: RunningBalance,
  prices: PriceVersions,
): Promise<HistoryRow[]> {
  if (events.length === 0) return [];
  const refusers = await budgetNames(
    tx,
    workspaceId,
    events.flatMap((e) => (e.rejectedBudgetId ? [e.rejectedBudgetId] : [])),
  );
  await prices.load(
    tx,
    events.map((e) => e.priceId),
  );
  // The events' own entries (index on usageEventId) with the type of the bucket each one moved.
  const entries = await tx.$queryRawUnsafe<EntryRecord[]>(
    `SELECT e.id, e.amount, e.kind::text AS kind, e."createdAt", e."usageEventId", g.type::text AS "grantType", e.reference
       FROM "LedgerEntry" e LEFT JOIN "CreditGrant" g ON g.id = e."grantId" AND g."workspaceId" = e."workspaceId"
      WHERE e."workspaceId" = $1 AND e."usageEventId" = ANY($2::text[])`,
    workspaceId,
    events.map((e) => e.id),
  );
  const byEvent = new Map<string, typeof entries>();
  for (const entry of entries) {
    const list = byEvent.get(entry.usageEventId) ?? [];
    list.push(entry);
    byEvent.set(entry.usageEventId, list);
  }

  // Events without entries are placed after the last entry written at or before them (index
  // (workspaceId, createdAt), read backwards: one short probe per such event).
  const bare = events.filter((e) => !byEvent.has(e.id));
  const fallback = new Map<string, bigint>();
  if (bare.length > 0) {
    const rows = await tx.$queryRawUnsafe<{ id: string; anchor: bigint | null }[]>(
      `SELECT ev.id, a.id AS anchor
         FROM unnest($2::text[], $3::timestamp(3)[]) AS ev(id, at)
         LEFT JOIN LATERAL (SELECT e.id FROM "LedgerEntry" e
                             WHERE e."workspaceId" = $1 AND e."createdAt" <= ev.at
                             ORDER BY e."createdAt" DESC, e.id DESC LIMIT 1) a ON true`,
      workspaceId,
      bare.map((e) => e.id),
      bare.map((e) => utcTimestamp(e.createdAt)),
    );
    for (const r of rows) fallback.set(r.id, r.anchor === null ? 0n : BigInt(r.anchor));
  }

  const anchors = new Map<string, { id: bigint; at: Date }>();
  for (const event of events) {
    const list = byEvent.get(event.id);
    if (!list) {
      anchors.set(event.id, { id: fallback.get(event.id) ?? 0n, at: event.createdAt });
      continue;
    }
    const last = list.reduce((a, b) => (b.id > a.id ? b : a));
    anchors.set(event.id, { id: last.id, at: last.createdAt });
  }
  const balances = await balance.after(
    tx,
    [...anchors.values()].map((a) => a.id),
  );

  return events.map((event) => {
    const anchor = anchors.get(event.id)!;
    const price = prices.get(event.priceId);
    return {
      id: event.id,
      at: event.createdAt,
      actionKey: event.actionKey,
      actionName: price.name,
      priceVersion: price.version,
      subject: event.subject,
      quantity: event.quantity,
      credits: event.credits,
      status: historyStatus(event.status),
      short: event.short,
      refundedAt: event.refundedAt,
      paidFrom: paidFrom(event, byEvent.get(event.id) ?? []),
      balanceAfter: balances.get(anchor.id)!,
      balanceAt: anchor.at,
      userId: event.userId,
      apiClientId: event.apiClientId,
      refusedBy: event.rejectedBudgetId ? (refusers.get(event.rejectedBudgetId) ?? "a budget since removed") : null,
    };
  });
}

function paidFrom(event: EventRecord, entries: EntryRecord[]): PaidFrom {
  if (event.unmetered) {
    // Enterprise's UNMETERED entries carry no reference; an x402 payment's names its transaction.
    const paidWith = entries.find((e) => e.kind === "UNMETERED" && e.reference);
    return paidWith ? { kind: "x402", parts: [], transaction: paidWith.reference! } : { kind: "unmetered", parts: [] };
  }
  const held = event.status === "PENDING";
  const kinds: LedgerKind[] = held ? ["HOLD", "RELEASE"] : ["DEBIT"];
  const byType = new Map<GrantType, number>();
  for (const e of entries) {
    if (!e.grantType || !kinds.includes(e.kind)) continue;
    byType.set(e.grantType, (byType.get(e.grantType) ?? 0) - e.amount);
  }
  const parts = GRANT_TYPES.filter((t) => (byType.get(t) ?? 0) !== 0).map((type) => ({ type, credits: byType.get(type)! }));
  if (parts.length === 0) return { kind: "none", parts };
  return { kind: held ? "held" : "paid", parts };
}

export type HistoryPage = {
  rows: HistoryRow[];
  /** Cursor for the next newer page ("← Newer"), or null on the newest page. */
  newer: string | null;
  /** Cursor for the next older page ("Older →"), or null on the oldest page. */
  older: string | null;
};

export const HISTORY_PAGE_SIZE = 50;

/**
 * One page of the history, newest first: the events older than `before`, or newer than `after`, or
 * the newest. Costs a handful of indexed queries plus one ledger scan bounded by RunningBalance.
 */
export async function usageHistoryPage(
  workspaceId: string,
  input: { filters: UsageFilters; before?: UsageCursor; after?: UsageCursor; limit?: number },
): Promise<HistoryPage> {
  const limit = input.limit ?? HISTORY_PAGE_SIZE;
  return db.$transaction(async (tx) => {
    const { filters, before, after } = input;
    const found = await tx.usageEvent.findMany({
      where: usageWhere(workspaceId, filters, after ? { after } : { before }),
      orderBy: after ? OLDEST_FIRST : NEWEST_FIRST,
      take: limit + 1,
      select: eventSelect,
    });
    const more = found.length > limit;
    const events = found.slice(0, limit);
    if (after) events.reverse();
    const exists = async (position: { before?: UsageCursor; after?: UsageCursor }) =>
      (await tx.usageEvent.findFirst({ where: usageWhere(workspaceId, filters, position), select: { id: true } })) !== null;

    const first = events[0];
    const last = events[events.length - 1];
    let newer: string | null = null;
    let older: string | null = null;
    if (after) {
      if (more && first) newer = encodeCursor(first);
      const from = last ?? after;
      if (await exists({ before: from })) older = encodeCursor(from);
    } else {
      if (more && last) older = encodeCursor(last);
      const from = first ?? before;
      if (from && (await exists({ after: from }))) newer = encodeCursor(from);
    }
    const rows = await toRows(tx, workspaceId, events, new RunningBalance(workspaceId), new PriceVersions());
    return { rows, newer, older };
  }, SNAPSHOT);
}

/**
 * Every event matching the filters, newest first, in batches (keyset pagination; each batch read in
 * its own short snapshot, so an export never holds a connection between batches). The running
 * balance carries over from batch to batch, so the ledger is read about once in all.
 */
export async function* usageHistoryBatches(workspaceId: string, filters: UsageFilters, batchSize = 2000): AsyncGenerator<HistoryRow[]> {
  const balance = new RunningBalance(workspaceId);
  const prices = new PriceVersions();
  let before: UsageCursor | undefined;
  for (;;) {
    const rows = await db.$transaction(async (tx) => {
      const events = await tx.usageEvent.findMany({
        where: usageWhere(workspaceId, filters, { before }),
        orderBy: NEWEST_FIRST,
        take: batchSize,
        select: eventSelect,
      });
      return toRows(tx, workspaceId, events, balance, prices);
    }, SNAPSHOT);
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    before = { createdAt: last.at, id: last.id };
  }
}

/** The actions of the price table (latest name of each key), for the action filter. */
export async function historyActions(): Promise<{ key: string; name: string }[]> {
  const prices = await db.actionPrice.findMany({
    orderBy: [{ actionKey: "asc" }, { version: "desc" }],
    distinct: ["actionKey"],
    select: { actionKey: true, name: true },
  });
  return prices.map((p) => ({ key: p.actionKey, name: p.name })).sort((a, b) => a.name.localeCompare(b.name));
}
