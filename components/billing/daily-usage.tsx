"use client";

import type { Balance } from "@/lib/credits/balance";
import { CATEGORIES, type Category } from "@/lib/pricing/categories";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { StackedCategoryChart, type CategorySeries } from "@/components/charts/stacked-category-chart";

const DAY_MS = 86_400_000;
const shortDay = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });

/** Every UTC day of the period so far, with its credits by category (days without usage are zero). */
function daysOfPeriod(balance: Balance): CategorySeries {
  const byDay = new Map(balance.daily.map((d) => [d.day, d.credits]));
  const start = Date.parse(balance.period.start);
  const last = Math.min(Date.parse(balance.asOf), Date.parse(balance.period.end) - 1);
  const days: CategorySeries = [];
  for (let t = start; t <= last; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const credits = byDay.get(day);
    days.push({ key: day, label: shortDay.format(t), credits: Object.fromEntries(CATEGORIES.map((c) => [c, credits?.[c] ?? 0])) as Record<Category, number> });
  }
  return days;
}

/** Usage over the period by day, stacked by action type, with a table for screen readers. */
export function DailyUsage({ balance }: { balance: Balance }) {
  return (
    <Card aria-labelledby="daily-heading">
      <CardHeader id="daily-heading" title="Usage over the period" description="Credits charged each day (UTC), stacked by action type." />
      <CardBody>
        <StackedCategoryChart
          series={daysOfPeriod(balance)}
          bucketLabel="Day (UTC)"
          caption="Credits charged per day this period, by action type"
          emptyText="No usage yet this period."
          height={220}
        />
      </CardBody>
    </Card>
  );
}
