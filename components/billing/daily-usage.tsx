"use client";

import type { Balance } from "@/lib/credits";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { StackedCategoryChart } from "@/components/charts/stacked-category-chart";
import { categorySeries } from "@/components/charts/category-series";

const DAY_MS = 86_400_000;

/** Every UTC day of the period up to `asOf` (all of it, for a past period). */
function daysOfPeriod(period: Balance["period"], asOf: string): string[] {
  const last = Math.min(Date.parse(asOf), Date.parse(period.end) - 1);
  const days: string[] = [];
  for (let t = Date.parse(period.start); t <= last; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Usage over a period by day, stacked by action type, with a table for screen readers. `when` names the
 * period ("this period", or "in November 2026").
 */
export function DailyUsage({
  daily,
  period,
  asOf,
  when = "this period",
}: {
  daily: Balance["daily"];
  period: Balance["period"];
  asOf: string;
  when?: string;
}) {
  return (
    <Card aria-labelledby="daily-heading">
      <CardHeader id="daily-heading" title="Usage over the period" description="Credits charged each day (UTC), stacked by action type." />
      <CardBody>
        <StackedCategoryChart
          series={categorySeries(daily, daysOfPeriod(period, asOf))}
          bucketLabel="Day (UTC)"
          caption={`Credits charged per day ${when}, by action type`}
          emptyText={when === "this period" ? "No usage yet this period." : `No usage ${when}.`}
          height={220}
        />
      </CardBody>
    </Card>
  );
}
