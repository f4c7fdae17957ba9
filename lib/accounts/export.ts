import "server-only";
import { csvRecords } from "@/lib/csv";
import { db } from "@/lib/db";
import { API_KEY_VIEW } from "@/lib/metering/keys";
import { WORKSPACE_BILLING_VIEW } from "@/lib/workspaces/billing-view";

/**
 * Settings → Data (owners): everything Creditbook holds about a workspace, as one JSON document, and
 * the ledger as CSV (the usage history has its own CSV: lib/usage/csv.ts). Both stream: the ledger and
 * the usage events are read in keyset batches on (createdAt, id) — the (workspaceId, createdAt)
 * indexes serve them — and each batch is encoded when the client has taken the previous one, so memory
 * stays flat however many rows there are (100k rows: a few MB on the wire, one batch in memory).
 * API keys go out without their secret hashes; nothing else is left out.
 */
export const EXPORT_FORMAT = "creditbook.workspace-export.v1";
const BATCH = 2000;

/** JSON.stringify that writes BigInt (ledger ids, rollup totals) as decimal strings. */
function json(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}

type Keyset<Id> = { createdAt: Date; id: Id };
type KeysetQuery<Id> = {
  where: { workspaceId: string; OR?: ({ createdAt: { gt: Date } } | { createdAt: Date; id: { gt: Id } })[] };
  orderBy: ({ createdAt: "asc" } | { id: "asc" })[];
  take: number;
};

/**
 * A workspace's rows in time order (createdAt, then id), BATCH at a time: `page` reads the rows after a
 * keyset (all of them from the start when null) with `where`, `orderBy` and `take` as given.
 */
async function* keysetBatches<Id, Row extends Keyset<Id>>(
  workspaceId: string,
  page: (query: KeysetQuery<Id>) => Promise<Row[]>,
): AsyncGenerator<Row[]> {
  let after: Keyset<Id> | null = null;
  for (;;) {
    const rows: Row[] = await page({
      where: {
        workspaceId,
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BATCH,
    });
    if (rows.length === 0) return;
    yield rows;
    const last: Row = rows[rows.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
    if (rows.length < BATCH) return;
  }
}

/** Ledger entries of a workspace in time order, BATCH at a time. */
function ledgerBatches(workspaceId: string) {
  return keysetBatches(workspaceId, (query: KeysetQuery<bigint>) =>
    db.ledgerEntry.findMany({
      ...query,
      select: {
        id: true,
        createdAt: true,
        kind: true,
        amount: true,
        grantId: true,
        usageEventId: true,
        actorUserId: true,
        apiClientId: true,
        reason: true,
        reference: true,
      },
    }),
  );
}

/** Usage events of a workspace in time order, BATCH at a time: every column (a new one is exported too) but the workspace's id. */
function usageBatches(workspaceId: string) {
  return keysetBatches(workspaceId, (query: KeysetQuery<string>) => db.usageEvent.findMany({ ...query, omit: { workspaceId: true } }));
}

/** The small parts of the export, read at once. */
export async function workspaceSummary(workspaceId: string) {
  const [workspace, members, grants, apiKeys, budgets, usageAlerts] = await Promise.all([
    db.workspace.findUniqueOrThrow({
      where: { id: workspaceId },
      select: {
        ...WORKSPACE_BILLING_VIEW,
        planId: true,
        periodAnchor: true,
        trialUsedAt: true,
        alertThresholds: true,
        alertWebhookUrl: true,
      },
    }),
    db.membership.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "asc" },
      select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    }),
    db.creditGrant.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, type: true, amount: true, remaining: true, expiresAt: true, source: true, createdAt: true },
    }),
    db.apiClient.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "asc" },
      // Never the secret hash.
      select: { ...API_KEY_VIEW, createdById: true },
    }),
    db.budget.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" }, omit: { workspaceId: true } }),
    db.usageAlert.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    workspace,
    members: members.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt })),
    grants,
    apiKeys,
    budgets,
    usageAlerts,
  };
}

/**
 * The JSON export: {format, exportedAt, workspace, members, grants, apiKeys, budgets, usageAlerts, ledger: […],
 * usageEvents: […]}. The small parts first, then the two long arrays, one batch per chunk.
 */
export function workspaceJsonStream(workspaceId: string, at: Date): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  async function* chunks(): AsyncGenerator<string> {
    const summary = await workspaceSummary(workspaceId);
    const head = json({ format: EXPORT_FORMAT, exportedAt: at, ...summary }, 2);
    yield `${head.slice(0, head.lastIndexOf("}")).trimEnd()},\n  "ledger": [`;
    let first = true;
    for await (const batch of ledgerBatches(workspaceId)) {
      yield (first ? "\n    " : ",\n    ") + batch.map((r) => json(r)).join(",\n    ");
      first = false;
    }
    yield `${first ? "" : "\n  "}],\n  "usageEvents": [`;
    first = true;
    for await (const batch of usageBatches(workspaceId)) {
      yield (first ? "\n    " : ",\n    ") + batch.map((r) => json(r)).join(",\n    ");
      first = false;
    }
    yield `${first ? "" : "\n  "}]\n}\n`;
  }
  return pullStream(chunks(), encoder, `workspace ${workspaceId} JSON export`);
}

export const LEDGER_CSV_COLUMNS = [
  "entry_id",
  "time_utc",
  "kind",
  "credits",
  "grant_id",
  "grant_type",
  "usage_event_id",
  "actor_user_id",
  "api_client_id",
  "reason",
  "reference",
] as const;

/** The ledger as CSV, one row per entry in time order (lib/csv.ts: RFC 4180, safe for spreadsheets: reasons come from operators and API callers). */
export function ledgerCsvStream(workspaceId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  async function* chunks(): AsyncGenerator<string> {
    yield csvRecords([LEDGER_CSV_COLUMNS]);
    const grants = new Map(
      (await db.creditGrant.findMany({ where: { workspaceId }, select: { id: true, type: true } })).map((g) => [g.id, g.type]),
    );
    for await (const batch of ledgerBatches(workspaceId)) {
      yield csvRecords(
        batch.map((e) => [
          e.id.toString(),
          e.createdAt.toISOString(),
          e.kind,
          e.amount,
          e.grantId ?? "",
          (e.grantId && grants.get(e.grantId)) ?? "",
          e.usageEventId ?? "",
          e.actorUserId ?? "",
          e.apiClientId ?? "",
          e.reason ?? "",
          e.reference ?? "",
        ]),
      );
    }
  }
  return pullStream(chunks(), encoder, `workspace ${workspaceId} ledger CSV`);
}

/** A pull-based byte stream over string chunks: the next chunk is made only when the client has taken the last. */
function pullStream(source: AsyncGenerator<string>, encoder: TextEncoder, label: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await source.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        // The 200 and the first bytes are gone already: all that is left is to cut the download short.
        console.error(`[export] ${label} failed:`, err);
        controller.error(err);
      }
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}

/** creditbook-<what>-<workspace id>-<YYYY-MM-DD>.<ext> (plain ASCII, safe in a Content-Disposition). */
export function exportFilename(what: "export" | "ledger", workspaceId: string, at: Date, ext: "json" | "csv"): string {
  return `creditbook-${what}-${workspaceId}-${at.toISOString().slice(0, 10)}.${ext}`;
}
