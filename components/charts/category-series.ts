import { CATEGORIES, type Category } from "@/lib/pricing/categories";
import type { CategorySeries } from "@/components/charts/stacked-category-chart";
import { formatUtcMonthDay } from "@/lib/format";

/**
 * A chart's series (StackedCategoryChart) from credits by bucket and category: one entry per key
 * (YYYY-MM-DD, a day or a month's first day) in order, a bucket without usage at zero. Plain code, for
 * server and client components alike.
 */
export function categorySeries(
  daily: { day: string; credits: Record<Category, number> }[],
  keys: string[],
  label: (key: string) => string = (key) => formatUtcMonthDay(Date.parse(key)),
): CategorySeries {
  const byDay = new Map(daily.map((d) => [d.day, d.credits]));
  return keys.map((key) => {
    const credits = byDay.get(key);
    return {
      key,
      label: label(key),
      credits: Object.fromEntries(CATEGORIES.map((c) => [c, credits?.[c] ?? 0])) as Record<Category, number>,
    };
  });
}
