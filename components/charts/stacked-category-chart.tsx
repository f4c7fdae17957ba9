"use client";

import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { LazyStackedBars } from "@/components/charts/lazy-charts";
import { ScrollArea } from "@/components/ui/scroll-area";

export type CategorySeries = { key: string; label: string; credits: Record<Category, number> }[];

type Props = {
  series: CategorySeries;
  /** The first column's heading in the table, e.g. "Day (UTC)". */
  bucketLabel: string;
  /** What the table shows, for screen readers. */
  caption: string;
  emptyText: string;
  height?: number;
};

/**
 * Credits per time bucket stacked by action category: a bar chart with its legend, and the same figures
 * as a table one click away (the chart itself is hidden from assistive technology).
 */
export function StackedCategoryChart({ series, bucketLabel, caption, emptyText, height = 240 }: Props) {
  const rows = series.map((s) => ({
    key: s.key,
    label: s.label,
    ...s.credits,
    total: CATEGORIES.reduce((sum, c) => sum + s.credits[c], 0),
  }));
  if (!rows.some((r) => r.total > 0)) {
    return (
      <div className="flex h-48 items-center justify-center rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">
        {emptyText}
      </div>
    );
  }
  return (
    <div>
      <div aria-hidden="true">
        <LazyStackedBars rows={rows} height={height} />
      </div>
      <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden="true">
        {CATEGORIES.map((c) => (
          <li key={c} className="flex items-center gap-1.5">
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ backgroundColor: CATEGORY_COLORS[c] }} />
            {CATEGORY_LABELS[c]}
          </li>
        ))}
      </ul>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-indigo-700 hover:text-indigo-600">Show as a table</summary>
        <ScrollArea label={caption} className="mt-2">
          <table className="w-full min-w-[40rem] text-xs">
            <caption className="sr-only">{caption}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-500">
                <th scope="col" className="py-1.5 pr-2 font-medium">
                  {bucketLabel}
                </th>
                {CATEGORIES.map((c) => (
                  <th key={c} scope="col" className="px-2 py-1.5 text-right font-medium">
                    {CATEGORY_LABELS[c]}
                  </th>
                ))}
                <th scope="col" className="py-1.5 pl-2 text-right font-medium">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className="border-b border-slate-100">
                  <th scope="row" className="py-1.5 pr-2 text-left font-normal text-slate-700">
                    {r.label}
                  </th>
                  {CATEGORIES.map((c) => (
                    <td key={c} className="px-2 py-1.5 text-right tabular-nums text-slate-600">
                      {formatCredits(r[c])}
                    </td>
                  ))}
                  <td className="py-1.5 pl-2 text-right tabular-nums font-medium text-slate-900">{formatCredits(r.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      </details>
    </div>
  );
}
