"use client";

import type { Category } from "@/lib/pricing/categories";
import { StackedCategoryChart } from "@/components/charts/stacked-category-chart";
import { formatUtcHourMinute, formatUtcMonthDay } from "@/lib/format";

export type Series = { start: string; credits: Record<Category, number> }[];

/** Credits per hour or UTC day across every workspace, stacked by action type, with the same figures as a table. */
export function UsageOverTime({ series, bucket }: { series: Series; bucket: "hour" | "day" }) {
  const label = (iso: string) => (bucket === "hour" ? `${formatUtcHourMinute(iso)} UTC` : formatUtcMonthDay(iso));
  return (
    <StackedCategoryChart
      series={series.map((s) => ({ key: s.start, label: label(s.start), credits: s.credits }))}
      bucketLabel={bucket === "hour" ? "Hour (UTC)" : "Day (UTC)"}
      caption={`Credits consumed per ${bucket} (UTC) across all workspaces, by action type`}
      emptyText="No credits consumed in this range."
      height={260}
    />
  );
}
