import { LocalTime } from "@/components/billing/local-time";
import { Badge } from "@/components/ui/badge";
import { formatCredits } from "@/lib/format";
import Link from "next/link";
import type { LedgerRow } from "@/lib/admin/ledger";
import { ScrollArea } from "@/components/ui/scroll-area";
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
  if (rows.length === 0) return <p className="px-5 py-5 text-sm text-slate-500 sm:px-6">No ledger entries yet.</p>;
  return (
    <ScrollArea label="Ledger table">
      <table className="w-full min-w-[56rem] text-sm">
        <caption className="sr-only">Ledger entries, newest first</caption>
        <thead>
          <tr className="border-b border-slate-200 bg-slate-50/60 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <th scope="col" className="py-2.5 pl-5 pr-3 font-medium sm:pl-6">
              Time
            </th>
            {showWorkspace ? (
              <th scope="col" className="px-3 py-2.5 font-medium">
                Workspace
              </th>
            ) : null}
            <th scope="col" className="px-3 py-2.5 font-medium">
              Entry
            </th>
            <th scope="col" className="px-3 py-2.5 text-right font-medium">
              Credits
            </th>
            <th scope="col" className="px-3 py-2.5 font-medium">
              Bucket
            </th>
            <th scope="col" className="px-3 py-2.5 font-medium">
              Action (price version)
            </th>
            <th scope="col" className="py-2.5 pl-3 pr-5 font-medium sm:pr-6">
              By · reason
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="whitespace-nowrap py-2.5 pl-5 pr-3 text-slate-600 sm:pl-6">
                <LocalTime iso={r.at.toISOString()} />
              </td>
              {showWorkspace ? (
                <td className="max-w-[12rem] px-3 py-2.5">
                  <Link href={`/admin/workspaces/${r.workspace.id}`} className={`block truncate ${link}`}>
                    {r.workspace.name}
                  </Link>
                </td>
              ) : null}
              <td className="px-3 py-2.5">
                <Badge tone={r.kind === "ADJUSTMENT" || r.kind === "GRANT" ? "success" : r.kind === "DEBIT" ? "neutral" : "brand"}>
                  {KIND_LABEL[r.kind]}
                </Badge>
              </td>
              <td
                className={`whitespace-nowrap px-3 py-2.5 text-right tabular-nums font-medium ${r.amount > 0 ? "text-emerald-700" : "text-slate-900"}`}
              >
                {signed(r.amount)}
              </td>
              <td className="whitespace-nowrap px-3 py-2.5 text-slate-600">
                {r.grant ? (
                  <Link href={`/admin/ledger?grant=${r.grant.id}`} className={link} title="This bucket's entries">
                    {BUCKET_LABEL[r.grant.type]}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
              <td className="px-3 py-2.5">
                {r.event ? (
                  <Link href={`/admin/ledger?event=${r.event.id}`} className={`font-mono text-xs ${link}`} title="This event's entries">
                    <ActionKey value={r.event.key} /> · v{r.event.version}
                    {r.event.quantity > 1 ? <span className="font-sans text-slate-500"> × {formatCredits(r.event.quantity)}</span> : null}
                  </Link>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
              <td className="max-w-[20rem] py-2.5 pl-3 pr-5 sm:pr-6">
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
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}
