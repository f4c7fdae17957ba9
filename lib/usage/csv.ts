import { csvRecords } from "@/lib/csv";
import { usageHistoryBatches, type HistoryRow } from "@/lib/usage/history";
import { formatPaidFrom } from "@/lib/usage/labels";
import type { UsageFilters } from "@/lib/usage/query";
import { keyLabel, usageAttribution, type Attribution } from "@/lib/usage/attribution";

/** Who caused events, as the CSV names them: the member's email, the key's name and prefix. */
export type CsvLabels = { member: Map<string, string>; key: Map<string, string> };

export function csvLabels(a: Attribution): CsvLabels {
  return { member: new Map(a.members.map((m) => [m.userId, m.email])), key: new Map(a.keys.map((k) => [k.id, keyLabel(k)])) };
}

/**
 * The usage history as CSV (lib/csv.ts: RFC 4180, safe for spreadsheets), the same columns as the page
 * plus the event id.
 */
export const CSV_COLUMNS = [
  "time_utc",
  "action_key",
  "action_name",
  "subject",
  "credits",
  "status",
  "paid_from",
  "price_version",
  "balance_after",
  "event_id",
  "member",
  "api_key",
] as const;

export function csvRecord(row: HistoryRow, labels: CsvLabels = { member: new Map(), key: new Map() }): (string | number)[] {
  return [
    row.at.toISOString(),
    row.actionKey,
    row.actionName,
    row.subject ?? "",
    row.credits,
    row.status,
    formatPaidFrom(row.paidFrom, "; "),
    `v${row.priceVersion}`,
    row.balanceAfter,
    row.id,
    row.userId ? (labels.member.get(row.userId) ?? row.userId) : "",
    row.apiClientId ? (labels.key.get(row.apiClientId) ?? row.apiClientId) : "",
  ];
}

/**
 * A stream of the CSV: the header, then one chunk per batch of events. Pull-based: the next batch is
 * read only when the client has taken the previous one, so at most one batch is in memory however
 * many events match.
 */
export function usageCsvStream(
  workspaceId: string,
  filters: UsageFilters,
  batchSize = 2000,
  attribution?: Attribution,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = usageHistoryBatches(workspaceId, filters, batchSize);
  let started = false;
  let labels: CsvLabels | undefined = attribution ? csvLabels(attribution) : undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRecords([CSV_COLUMNS])));
        return;
      }
      try {
        labels ??= csvLabels(await usageAttribution(workspaceId));
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(csvRecords(next.value.map((row) => csvRecord(row, labels)))));
      } catch (err) {
        // The 200 and the first rows are gone already: all that is left is to cut the download short.
        console.error(`[usage csv] export for workspace ${workspaceId} failed:`, err);
        controller.error(err);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}

/** creditbook-usage-<workspace>-<YYYY-MM-DD>.csv, in plain ASCII (safe in a Content-Disposition). */
export function usageCsvFilename(workspace: { id: string; name: string }, at: Date): string {
  const slug = workspace.name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // the accents NFKD split off: "Ü" → "U"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return `creditbook-usage-${slug || workspace.id}-${at.toISOString().slice(0, 10)}.csv`;
}
