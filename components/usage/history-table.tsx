import type { ReactNode } from "react";
import { LocalTime } from "@/components/billing/local-time";
import { EventTime } from "@/components/usage/event-time";
import { Badge } from "@/components/ui/badge";
import { StatusBadge } from "@/components/usage/status-badge";
import { formatCredits } from "@/lib/format";
import type { HistoryRow } from "@/lib/usage/history";
import { GRANT_TYPE_LABEL } from "@/lib/usage/labels";
import { ActionKey } from "@/components/ui/action-key";
import { Table } from "@/components/ui/table";

/** A balance taken later than the event itself (a commit, a charge at the reset, a refund) says when. */
const SETTLED_LATER_MS = 60_000;

const NOTHING_DRAWN: Partial<Record<HistoryRow["status"], string>> = {
  queued: "Not charged yet: queued work is charged when credits arrive.",
  released: "Nothing: the hold went back in full.",
  rejected: "Nothing: rejected events are not charged.",
};

function PaidFrom({ row }: { row: HistoryRow }) {
  const { paidFrom } = row;
  if (paidFrom.kind === "unmetered") return <span className="text-slate-600">Unmetered</span>;
  if (paidFrom.kind === "x402") {
    return (
      <span className="text-slate-600" title={`Paid in USDC with x402: transaction ${paidFrom.transaction ?? ""}`}>
        x402 (USDC)
      </span>
    );
  }
  if (row.refusedBy) {
    return <span className="text-red-700">Refused: {row.refusedBy} was spent</span>;
  }
  if (paidFrom.kind === "none") {
    return (
      <span className="text-slate-400" title={NOTHING_DRAWN[row.status] ?? "Nothing: this action costs no credits."}>
        —
      </span>
    );
  }
  const parts = paidFrom.parts.map((p, i) => (
    <span key={p.type} className="whitespace-nowrap">
      {i > 0 ? " · " : null}
      {GRANT_TYPE_LABEL[p.type]} {formatCredits(p.credits)}
    </span>
  ));
  return paidFrom.kind === "held" ? (
    <span className="text-slate-600" title="Held from these buckets until the reservation is committed or released.">
      <span className="whitespace-nowrap">Held: </span>
      {parts}
    </span>
  ) : (
    <span className="text-slate-700">{parts}</span>
  );
}

/** Released holds and refunded charges kept nothing: their amount is shown struck through. */
const GIVEN_BACK: Partial<Record<HistoryRow["status"], string>> = {
  released: "Held, then released in full: nothing was charged.",
  refunded: "Charged, then refunded in full.",
};

function Credits({ row }: { row: HistoryRow }) {
  const back = GIVEN_BACK[row.status];
  return (
    <span className="tabular-nums font-medium text-slate-900">
      {back ? (
        <s className="text-slate-400" title={back}>
          {formatCredits(row.credits)}
        </s>
      ) : (
        formatCredits(row.credits)
      )}
      {row.status === "queued" ? <span className="ml-1 text-xs font-normal text-slate-500">due</span> : null}
    </span>
  );
}

function Status({ row }: { row: HistoryRow }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <StatusBadge status={row.status} />
      {row.short ? (
        <Badge tone="warning" title="Committed above its hold when the balance could not cover it: charged what the hold covered.">
          Short
        </Badge>
      ) : null}
    </span>
  );
}

function Balance({ row }: { row: HistoryRow }) {
  const later = row.balanceAt.getTime() - row.at.getTime() >= SETTLED_LATER_MS;
  return (
    <>
      <span className="tabular-nums font-semibold text-slate-900">{formatCredits(row.balanceAfter)}</span>
      {later ? (
        <span className="block text-xs font-normal text-slate-500">
          {row.status === "refunded" ? "after the refund, " : "when settled, "}
          <LocalTime iso={row.balanceAt.toISOString()} />
        </span>
      ) : null}
    </>
  );
}

/** Names of who caused events: member emails by user id, key labels by API key id. */
export type ActorLabels = { member: Record<string, string>; key: Record<string, string> };

function byline(row: HistoryRow, labels: ActorLabels | null): string | null {
  if (!labels) return null;
  const by = row.userId ? `by ${labels.member[row.userId] ?? "a former member"}` : null;
  const via = row.apiClientId ? `via key ${labels.key[row.apiClientId] ?? "(deleted)"}` : null;
  return [by, via].filter(Boolean).join(" ") || null;
}

function Action({ row, labels }: { row: HistoryRow; labels: ActorLabels | null }) {
  const by = byline(row, labels);
  return (
    <>
      <span className="block font-medium text-slate-900">{row.actionName}</span>
      <span className="block text-xs text-slate-500">
        <ActionKey value={row.actionKey} />
        {row.quantity > 1 ? <span className="font-sans"> × {formatCredits(row.quantity)}</span> : null}
      </span>
      {by ? (
        <span className="block max-w-[16rem] truncate text-xs text-slate-500" title={by}>
          {by}
        </span>
      ) : null}
    </>
  );
}

function Subject({ row }: { row: HistoryRow }) {
  return row.subject ? (
    <span className="block max-w-[12rem] truncate text-slate-700" title={row.subject}>
      {row.subject}
    </span>
  ) : (
    <span className="text-slate-400">—</span>
  );
}

/** One figure of a row on a phone: its name over its value; `wide` spans the whole row. */
function Fact({
  label,
  wide,
  className,
  title,
  children,
}: {
  label: string;
  wide?: boolean;
  className?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <div className={wide ? "col-span-2 min-w-0 sm:col-span-4" : undefined}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={className} title={title}>
        {children}
      </dd>
    </div>
  );
}

/**
 * The events of one page: a table on wide screens; on narrow ones the same rows as stacked cards, so
 * nothing ever scrolls the page sideways. `labels: null` leaves out who caused each event (billing
 * inside an AI product does not show the workspace's members and keys).
 */
export function HistoryTable({ rows, labels }: { rows: HistoryRow[]; labels: ActorLabels | null }) {
  return (
    <>
      <Table
        caption="Usage events, newest first"
        scrollClassName="hidden xl:block"
        rows={rows}
        rowClassName="align-top hover:bg-slate-50/60"
        columns={[
          { header: "Time", cell: (row) => <EventTime iso={row.at.toISOString()} /> },
          { header: "Action", cell: (row) => <Action row={row} labels={labels} /> },
          { header: "Subject", cell: (row) => <Subject row={row} /> },
          { header: "Credits", align: "right", cellClassName: "whitespace-nowrap", cell: (row) => <Credits row={row} /> },
          { header: "Status", cell: (row) => <Status row={row} /> },
          { header: "Paid from", cell: (row) => <PaidFrom row={row} /> },
          { header: "Price version", cellClassName: "tabular-nums text-slate-600", cell: (row) => `v${row.priceVersion}` },
          { header: "Balance after", align: "right", cell: (row) => <Balance row={row} /> },
        ]}
      />
      <ul aria-label="Usage events, newest first" className="divide-y divide-slate-100 xl:hidden">
        {rows.map((row) => (
          <li key={row.id} className="px-5 py-4 sm:px-6">
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <Action row={row} labels={labels} />
              </div>
              <Status row={row} />
            </div>
            <p className="mt-1 text-xs text-slate-500">
              <LocalTime iso={row.at.toISOString()} />
            </p>
            <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
              <Fact label="Credits">
                <Credits row={row} />
              </Fact>
              <Fact label="Balance after">
                <Balance row={row} />
              </Fact>
              <Fact label="Paid from">
                <PaidFrom row={row} />
              </Fact>
              <Fact label="Price version" className="tabular-nums text-slate-600">
                v{row.priceVersion}
              </Fact>
              {row.subject ? (
                <Fact label="Subject" wide className="truncate text-slate-700" title={row.subject}>
                  {row.subject}
                </Fact>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}
