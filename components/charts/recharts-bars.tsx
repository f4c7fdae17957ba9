"use client";

// The only module that imports recharts. It is loaded on demand (see lazy-charts.tsx), so the chart
// library never weighs on a page's first paint or its hydration.
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";

export type StackedRow = { label: string } & Record<Category, number>;

/** Vertical bars (one per time bucket), each stacked by action category. */
export function StackedBars({ rows, height }: { rows: StackedRow[]; height: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart accessibilityLayer={false} data={rows} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} interval="preserveStartEnd" minTickGap={16} />
        <YAxis allowDecimals={false} width={56} tick={{ fontSize: 11, fill: "#64748b" }} tickFormatter={(v: number) => formatCredits(v)} />
        <Tooltip
          formatter={(value, name) => [`${formatCredits(Number(value))} credits`, CATEGORY_LABELS[name as Category]]}
          cursor={{ fill: "#f1f5f9" }}
        />
        {CATEGORIES.map((c) => (
          <Bar key={c} dataKey={c} stackId="credits" fill={CATEGORY_COLORS[c]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export type CategoryRow = { category: Category; label: string; credits: number };

/** Horizontal bars: credits per action category. */
export function CategoryBars({ rows, height }: { rows: CategoryRow[]; height: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart accessibilityLayer={false} data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12, fill: "#64748b" }} />
        <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 12, fill: "#334155" }} />
        <Tooltip formatter={(value) => [`${formatCredits(Number(value))} credits`, "Used"]} cursor={{ fill: "#f1f5f9" }} />
        <Bar dataKey="credits" radius={[0, 4, 4, 0]} isAnimationActive={false}>
          {rows.map((r) => (
            <Cell key={r.category} fill={CATEGORY_COLORS[r.category]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
