"use client";

import type { Balance } from "@/lib/credits/balance";
import { CATEGORIES, type Category } from "@/lib/pricing/categories";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { StackedCategoryChart, type CategorySeries } from "@/components/charts/stacked-category-chart";

const DAY_MS = 86_400_000;
const shortDay = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });

type Daily = Balance["daily"];

/** The series of the given buckets (YYYY-MM-DD keys), each with its credits by category (none: zero). */
export function categorySeries(daily: Daily, keys: string[], label: (key: string) => string = (key) => shortDay.format(Date.parse(key))): CategorySeries {
  const byDay = new Map(daily.map((d) => [d.day, d.credits]));
  return keys.map((key) => {
    const credits = byDay.get(key);
    return { key, label: label(key), credits: Object.fromEntries(CATEGORIES.map((c) => [c, credits?.[c] ?? 0])) as Record<Category, number> };
  });
}

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
export function DailyUsage({ daily, period, asOf, when = "this period" }: { daily: Daily; period: Balance["period"]; asOf: string; when?: string }) {
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
