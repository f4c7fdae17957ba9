import { Badge } from "@/components/ui/badge";
import { byCategoryThenName, CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { ActionKey } from "@/components/ui/action-key";
import { Swatch } from "@/components/ui/swatch";
import { Table } from "@/components/ui/table";

export type ActionView = {
  actionKey: string;
  name: string;
  category: Category;
  credits: number;
  /** Exact dollars for the credits at 1 credit = $0.01, e.g. "$0.05". */
  usd: string;
  sync: boolean;
  /** Credits held while an async action runs (null for sync actions). */
  reserveCredits: number | null;
};

/** What every action costs, grouped by category in the usage breakdown's order. */
export function ActionTable({ actions }: { actions: ActionView[] }) {
  return (
    // On a phone the category, sync/async and reserve fold under the action's name; the table still scrolls
    // sideways in its own box if a long name needs it.
    <Table
      look="plain"
      caption="Credits and dollars charged for each action"
      rows={[...actions].sort(byCategoryThenName)}
      rowKey={(a) => a.actionKey}
      rowClassName="align-top last:border-0"
      empty="No actions are priced yet."
      columns={[
        {
          header: "Action",
          rowHeader: true,
          cell: (a) => (
            <>
              <span className="block font-medium text-slate-900">{a.name}</span>
              <ActionKey value={a.actionKey} className="text-xs text-slate-500" />
              <span className="mt-1 block text-xs text-slate-500 sm:hidden">
                {CATEGORY_LABELS[a.category]} · {a.sync ? "sync" : `async, holds ${formatCredits(a.reserveCredits ?? a.credits)}`}
              </span>
            </>
          ),
        },
        {
          header: "Category",
          fromSm: true,
          cellClassName: "whitespace-nowrap text-slate-700",
          cell: (a) => (
            <>
              <Swatch color={CATEGORY_COLORS[a.category]} />
              {CATEGORY_LABELS[a.category]}
            </>
          ),
        },
        {
          header: "Credits",
          align: "right",
          cellClassName: "whitespace-nowrap font-medium text-slate-900",
          cell: (a) => formatCredits(a.credits),
        },
        {
          header: "Price",
          align: "right",
          cellClassName: "whitespace-nowrap text-slate-700",
          cell: (a) => (a.credits === 0 ? "Free" : a.usd),
        },
        { header: "Runs", fromSm: true, cell: (a) => (a.sync ? <Badge>Sync</Badge> : <Badge tone="brand">Async</Badge>) },
        {
          header: "Reserve",
          align: "right",
          fromSm: true,
          cellClassName: "whitespace-nowrap text-slate-700",
          cell: (a) =>
            a.reserveCredits === null ? (
              <>
                <span aria-hidden="true">—</span>
                <span className="sr-only">none</span>
              </>
            ) : (
              `holds ${formatCredits(a.reserveCredits)}`
            ),
        },
      ]}
    />
  );
}
