import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { POLICY_LABELS, priceTable } from "@/lib/pricing/admin";
import { CATEGORY_LABELS } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/billing/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { Table } from "@/components/ui/table";
import { ActionKey } from "@/components/ui/action-key";

export const generateMetadata = adminMetadata("Prices");

const TEXT = "text-slate-700";

type PriceRow = Awaited<ReturnType<typeof priceTable>>[number];

/** The version in force and since when, with a badge for a scheduled next version or an inactive action. */
function VersionCell({ row }: { row: PriceRow }) {
  const p = row.current;
  return (
    <>
      {p ? (
        <span className="whitespace-nowrap">
          v{p.version} · {p.effectiveFrom.getTime() === 0 ? "initial" : <LocalTime iso={p.effectiveFrom.toISOString()} />}
        </span>
      ) : (
        <span className="text-slate-500">not in force yet</span>
      )}
      <span className="mt-1 flex flex-wrap gap-1">
        {row.scheduled ? (
          <Badge tone="warning" title={`Version ${row.scheduled.version} takes effect ${row.scheduled.effectiveFrom.toISOString()}`}>
            v{row.scheduled.version} scheduled: {formatCredits(row.scheduled.credits)} credits
          </Badge>
        ) : null}
        {!row.active ? <Badge>inactive</Badge> : null}
      </span>
    </>
  );
}

export default async function AdminPricesPage() {
  await requireAdmin();
  const rows = await priceTable();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Price table"
        description="What each action costs now. A change adds the next version of the action (effective at once or at a time you choose); every usage event keeps the version it was charged at."
      />
      <Card aria-labelledby="prices-heading">
        <h2 id="prices-heading" className="sr-only">
          Actions and their current prices
        </h2>
        <Table
          caption="Every action with the version in force now"
          scroll={{ label: "Price table", minWidth: "min-w-[60rem]" }}
          rows={rows}
          rowKey={(row) => row.actionKey}
          columns={[
            {
              header: "Action",
              rowHeader: true,
              cell: (row) => (
                <>
                  <span className="block font-medium text-slate-900">{row.name}</span>
                  <span className="block font-mono text-xs text-slate-500">
                    <ActionKey value={row.actionKey} /> · {CATEGORY_LABELS[row.category]}
                  </span>
                </>
              ),
            },
            {
              header: "Credits",
              align: "right",
              cellClassName: "text-base font-semibold text-slate-900",
              cell: ({ current: p }) => (p ? formatCredits(p.credits) : "—"),
            },
            { header: "Out of credits", cellClassName: TEXT, cell: ({ current: p }) => (p ? POLICY_LABELS[p.policy] : "—") },
            { header: "Provider", cellClassName: TEXT, cell: ({ current: p }) => p?.provider ?? <span className="text-slate-500">—</span> },
            { header: "Mode", cellClassName: TEXT, cell: ({ current: p }) => (p ? (p.sync ? "Sync" : "Async") : "—") },
            {
              header: "Reserve",
              align: "right",
              cellClassName: TEXT,
              cell: ({ current: p }) =>
                p?.reserveCredits != null ? formatCredits(p.reserveCredits) : <span className="text-slate-500">—</span>,
            },
            { header: "Version · effective from", cellClassName: TEXT, cell: (row) => <VersionCell row={row} /> },
            {
              header: <span className="sr-only">Edit</span>,
              cellClassName: "text-right",
              cell: (row) => (
                <Link
                  href={`/admin/prices/${encodeURIComponent(row.actionKey)}`}
                  aria-label={`Edit ${row.actionKey}`}
                  className="rounded-md px-2.5 py-1.5 text-sm font-semibold text-indigo-700 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50"
                >
                  Edit
                </Link>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
