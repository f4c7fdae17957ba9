import { LocalTime } from "@/components/billing/local-time";
import { Badge } from "@/components/ui/badge";
import { formatCredits } from "@/lib/format";
import Link from "next/link";
import type { LedgerRow } from "@/lib/admin/ledger";
import { Table } from "@/components/ui/table";
import { ActionKey } from "@/components/ui/action-key";

const KIND_LABEL: Record<LedgerRow["kind"], string> = {
  GRANT: "Grant",
  DEBIT: "Debit",
  HOLD: "Hold",
  RELEASE: "Release",
  REFUND: "Refund",
  EXPIRY: "Expiry",
  ADJUSTMENT: "Adjustment",
  UNMETERED: "Unmetered",
  CLAWBACK: "Clawback",
  FREEZE: "Freeze",
  UNFREEZE: "Unfreeze",
};
const BUCKET_LABEL = { SUBSCRIPTION: "Plan allowance", BONUS: "Bonus", PURCHASED: "Purchased" } as const;

function signed(n: number): string {
  return n > 0 ? `+${formatCredits(n)}` : n < 0 ? `−${formatCredits(-n)}` : "0";
}

const link = "text-indigo-700 hover:text-indigo-600 hover:underline";

/** Stripe objects (cs_…, ch_…, pi_…) open the Stripe event log filtered to them; other references show as text. */
function Reference({ value }: { value: string }) {
  return /^(cs|ch|pi|in|re|dp|sub|cus)_/.test(value) ? (
    <Link href={`/admin/stripe?object=${encodeURIComponent(value)}`} className={`font-mono ${link}`}>
      {value}
    </Link>
  ) : (
    <span className="font-mono">{value}</span>
  );
}

/**
 * Ledger entries, newest first: what changed which bucket, for which action at which price version, by
 * whom and why. Buckets, events and Stripe objects link to the ledger explorer narrowed to them.
 */
export function LedgerTable({ rows, showWorkspace = false }: { rows: LedgerRow[]; showWorkspace?: boolean }) {
  return (
    <Table
      caption="Ledger entries, newest first"
      scroll={{ label: "Ledger table", minWidth: "min-w-[56rem]" }}
      rows={rows}
      empty="No ledger entries yet."
      columns={[
        { header: "Time", cellClassName: "whitespace-nowrap text-slate-600", cell: (r) => <LocalTime iso={r.at.toISOString()} /> },
        showWorkspace && {
          header: "Workspace",
          cellClassName: "max-w-[12rem]",
          cell: (r) => (
            <Link href={`/admin/workspaces/${r.workspace.id}`} className={`block truncate ${link}`}>
              {r.workspace.name}
            </Link>
          ),
        },
        {
          header: "Entry",
          cell: (r) => (
            <Badge tone={r.kind === "ADJUSTMENT" || r.kind === "GRANT" ? "success" : r.kind === "DEBIT" ? "neutral" : "brand"}>
              {KIND_LABEL[r.kind]}
            </Badge>
          ),
        },
        {
          header: "Credits",
          align: "right",
          cellClassName: (r) => `whitespace-nowrap font-medium ${r.amount > 0 ? "text-emerald-700" : "text-slate-900"}`,
          cell: (r) => signed(r.amount),
        },
        {
          header: "Bucket",
          cellClassName: "whitespace-nowrap text-slate-600",
          cell: (r) =>
            r.grant ? (
              <Link href={`/admin/ledger?grant=${r.grant.id}`} className={link} title="This bucket's entries">
                {BUCKET_LABEL[r.grant.type]}
              </Link>
            ) : (
              "—"
            ),
        },
        {
          header: "Action (price version)",
          cell: (r) =>
            r.event ? (
              <Link href={`/admin/ledger?event=${r.event.id}`} className={`font-mono text-xs ${link}`} title="This event's entries">
                <ActionKey value={r.event.key} /> · v{r.event.version}
                {r.event.quantity > 1 ? <span className="font-sans text-slate-500"> × {formatCredits(r.event.quantity)}</span> : null}
              </Link>
            ) : (
              <span className="text-slate-500">—</span>
            ),
        },
        {
          header: "By · reason",
          cellClassName: "max-w-[20rem]",
          cell: (r) => (
            <>
              <span className="block truncate text-slate-700">{r.actor ?? <span className="text-slate-500">system</span>}</span>
              {r.reason ? (
                <span className="block truncate text-xs text-slate-500" title={r.reason}>
                  {r.reason}
                </span>
              ) : null}
              {r.reference ? (
                <span className="block truncate text-xs text-slate-500">
                  <Reference value={r.reference} />
                </span>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}
