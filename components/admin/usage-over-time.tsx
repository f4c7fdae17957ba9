"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { ScrollArea } from "@/components/admin/scroll-area";

const dayLabel = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
const hourLabel = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit" });

export type Series = { start: string; credits: Record<Category, number> }[];

/** Credits per hour or UTC day across every workspace, stacked by action type, with the same figures as a table. */
export function UsageOverTime({ series, bucket }: { series: Series; bucket: "hour" | "day" }) {
  const label = (iso: string) => (bucket === "hour" ? `${hourLabel.format(new Date(iso))} UTC` : dayLabel.format(new Date(iso)));
  const rows = series.map((s) => ({ label: label(s.start), start: s.start, ...s.credits, total: CATEGORIES.reduce((sum, c) => sum + s.credits[c], 0) }));
  const any = rows.some((r) => r.total > 0);
  return (
    <div>
      {!any ? (
        <div className="flex h-56 items-center justify-center rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">No credits consumed in this range.</div>
      ) : (
        <>
          <div aria-hidden="true">
            <ResponsiveContainer width="100%" height={260}>
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
          </div>
          <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden="true">
            {CATEGORIES.map((c) => (
              <li key={c} className="flex items-center gap-1.5">
                <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ backgroundColor: CATEGORY_COLORS[c] }} />
                {CATEGORY_LABELS[c]}
              </li>
            ))}
          </ul>
        </>
      )}
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-indigo-700 hover:text-indigo-600">Show as a table</summary>
        <ScrollArea label="Credits over time table" className="mt-2">
          <table className="w-full min-w-[40rem] text-xs">
            <caption className="sr-only">Credits consumed per {bucket === "hour" ? "hour" : "day"} (UTC) across all workspaces, by action type</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-500">
                <th scope="col" className="py-1.5 pr-2 font-medium">
                  {bucket === "hour" ? "Hour (UTC)" : "Day (UTC)"}
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
                <tr key={r.start} className="border-b border-slate-100">
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
