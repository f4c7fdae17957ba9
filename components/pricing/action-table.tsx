import { Badge } from "@/components/ui/badge";
import { byCategoryThenName, CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { ActionKey } from "@/components/ui/action-key";

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
  if (actions.length === 0) {
    return <p className="px-5 py-6 text-sm text-slate-500 sm:px-6">No actions are priced yet.</p>;
  }
  const rows = [...actions].sort(byCategoryThenName);
  return (
    // On a phone the category, sync/async and reserve fold under the action's name; the table still scrolls
    // sideways in its own box if a long name needs it (relative: keeps sr-only text inside the scroller).
    <div className="relative overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Credits and dollars charged for each action</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-500">
            <th scope="col" className="px-5 py-2 font-medium sm:px-6">
              Action
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
              Category
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Credits
            </th>
            <th scope="col" className="px-5 py-2 text-right font-medium sm:px-3">
              Price
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
              Runs
            </th>
            <th scope="col" className="hidden px-5 py-2 text-right font-medium sm:table-cell sm:px-6">
              Reserve
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.actionKey} className="border-b border-slate-100 align-top last:border-0">
              <th scope="row" className="px-5 py-2.5 text-left font-normal sm:px-6">
                <span className="block font-medium text-slate-900">{a.name}</span>
                <ActionKey value={a.actionKey} className="text-xs text-slate-500" />
                <span className="mt-1 block text-xs text-slate-500 sm:hidden">
                  {CATEGORY_LABELS[a.category]} · {a.sync ? "sync" : `async, holds ${formatCredits(a.reserveCredits ?? a.credits)}`}
                </span>
              </th>
              <td className="hidden whitespace-nowrap px-3 py-2.5 text-slate-700 sm:table-cell">
                <span
                  className="mr-2 inline-block h-2.5 w-2.5 rounded-sm"
                  style={{ backgroundColor: CATEGORY_COLORS[a.category] }}
                  aria-hidden="true"
                />
                {CATEGORY_LABELS[a.category]}
              </td>
              <td className="whitespace-nowrap px-3 py-2.5 text-right font-medium text-slate-900 tabular-nums">
                {formatCredits(a.credits)}
              </td>
              <td className="whitespace-nowrap px-5 py-2.5 text-right text-slate-700 tabular-nums sm:px-3">
                {a.credits === 0 ? "Free" : a.usd}
              </td>
              <td className="hidden px-3 py-2.5 sm:table-cell">{a.sync ? <Badge>Sync</Badge> : <Badge tone="brand">Async</Badge>}</td>
              <td className="hidden whitespace-nowrap px-5 py-2.5 text-right text-slate-700 tabular-nums sm:table-cell sm:px-6">
                {a.reserveCredits === null ? (
                  <>
                    <span aria-hidden="true">—</span>
                    <span className="sr-only">none</span>
                  </>
                ) : (
                  `holds ${formatCredits(a.reserveCredits)}`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
