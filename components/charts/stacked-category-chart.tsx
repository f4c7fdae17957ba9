"use client";

import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { LazyStackedBars } from "@/components/charts/lazy-charts";
import { Swatch } from "@/components/ui/swatch";
import { Table, type Column } from "@/components/ui/table";

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
            <Swatch color={CATEGORY_COLORS[c]} className="mr-0" />
            {CATEGORY_LABELS[c]}
          </li>
        ))}
      </ul>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-indigo-700 hover:text-indigo-600">Show as a table</summary>
        <Table
          look="plain"
          inset={false}
          caption={caption}
          scroll={{ label: caption, minWidth: "min-w-[40rem]" }}
          scrollClassName="mt-2"
          className="text-xs"
          rows={rows}
          rowKey={(r) => r.key}
          columns={[
            { header: bucketLabel, rowHeader: true, cellClassName: "text-slate-700", cell: (r) => r.label },
            ...CATEGORIES.map((c): Column<(typeof rows)[number]> => ({
              header: CATEGORY_LABELS[c],
              align: "right",
              cellClassName: "text-slate-600",
              cell: (r) => formatCredits(r[c]),
            })),
            { header: "Total", align: "right", cellClassName: "font-medium text-slate-900", cell: (r) => formatCredits(r.total) },
          ]}
        />
      </details>
    </div>
  );
}
