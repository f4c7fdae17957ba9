"use client";

import type { Category } from "@/lib/pricing/categories";
import { StackedCategoryChart } from "@/components/charts/stacked-category-chart";

const dayLabel = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
const hourLabel = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit" });

export type Series = { start: string; credits: Record<Category, number> }[];

/** Credits per hour or UTC day across every workspace, stacked by action type, with the same figures as a table. */
export function UsageOverTime({ series, bucket }: { series: Series; bucket: "hour" | "day" }) {
  const label = (iso: string) => (bucket === "hour" ? `${hourLabel.format(new Date(iso))} UTC` : dayLabel.format(new Date(iso)));
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
