import type { Bucket, UsageSummary } from "@/lib/usage/periods";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { StackedCategoryChart } from "@/components/charts/stacked-category-chart";
import { categorySeries } from "@/components/charts/category-series";
import { formatUtcMonth, formatUtcMonthDay } from "@/lib/format";

/** The history's chart: credits charged over the chosen range by UTC day (by month for a long range), stacked by action type. */
export function RangeChart({ chart, filtered }: { chart: { bucket: Bucket; keys: string[]; usage: UsageSummary }; filtered: boolean }) {
  const unit = chart.bucket === "day" ? "day" : "month";
  const format = chart.bucket === "day" ? (key: string) => formatUtcMonthDay(key) : (key: string) => formatUtcMonth(key);
  return (
    <Card aria-labelledby="usage-chart-heading">
      <CardHeader
        id="usage-chart-heading"
        title={chart.bucket === "day" ? "Daily usage" : "Monthly usage"}
        description={`Credits charged each ${unit} (UTC)${filtered ? " by the events matching the filters" : ""}, stacked by action type.`}
      />
      <CardBody>
        <StackedCategoryChart
          series={categorySeries(chart.usage.daily, chart.keys, format)}
          bucketLabel={chart.bucket === "day" ? "Day (UTC)" : "Month (UTC)"}
          caption={`Credits charged per ${unit}, by action type`}
          emptyText="No credits charged in this range."
          height={220}
        />
      </CardBody>
    </Card>
  );
}
