"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Balance } from "@/lib/credits/balance";
import { CATEGORIES, CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatCredits } from "@/lib/format";

const DAY_MS = 86_400_000;
const shortDay = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });

/** Every UTC day of the period so far, with its credits by category (days without usage are zero). */
function daysOfPeriod(balance: Balance) {
  const byDay = new Map(balance.daily.map((d) => [d.day, d.credits]));
  const start = Date.parse(balance.period.start);
  const last = Math.min(Date.parse(balance.asOf), Date.parse(balance.period.end) - 1);
  const days = [];
  for (let t = start; t <= last; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const credits = byDay.get(day);
    const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, credits?.[c] ?? 0])) as Record<Category, number>;
    days.push({ day, label: shortDay.format(t), ...byCategory });
  }
  return days;
}

/** Usage over the period by day, stacked by action type, with a table for screen readers. */
export function DailyUsage({ balance }: { balance: Balance }) {
  const days = daysOfPeriod(balance);
  const totals = days.map((d) => CATEGORIES.reduce((s, c) => s + d[c], 0));
  const any = totals.some((t) => t > 0);
  return (
    <Card aria-labelledby="daily-heading">
      <CardHeader id="daily-heading" title="Usage over the period" description="Credits charged each day (UTC), stacked by action type." />
      <CardBody>
        {!any ? (
          <div className="flex h-48 items-center justify-center rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">
            No usage yet this period.
          </div>
        ) : (
          <>
            <div aria-hidden="true">
              <ResponsiveContainer width="100%" height={220}>
                <BarChart accessibilityLayer={false} data={days} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
                  <CartesianGrid vertical={false} stroke="#e2e8f0" />
                  <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} interval="preserveStartEnd" minTickGap={16} />
                  <YAxis allowDecimals={false} width={44} tick={{ fontSize: 11, fill: "#64748b" }} />
                  <Tooltip formatter={(value, name) => [`${formatCredits(Number(value))} credits`, CATEGORY_LABELS[name as keyof typeof CATEGORY_LABELS]]} cursor={{ fill: "#f1f5f9" }} />
                  {CATEGORIES.map((c) => (
                    <Bar key={c} dataKey={c} stackId="day" fill={CATEGORY_COLORS[c]} isAnimationActive={false} />
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
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer text-indigo-700 hover:text-indigo-600">Show as a table</summary>
              <div className="mt-2 overflow-x-auto">
                <table className="w-full min-w-[32rem] text-xs">
                  <caption className="sr-only">Credits charged per day this period, by action type</caption>
                  <thead>
                    <tr className="border-b border-slate-200 text-left text-slate-500">
                      <th scope="col" className="py-1.5 font-medium">
                        Day (UTC)
                      </th>
                      {CATEGORIES.map((c) => (
                        <th key={c} scope="col" className="py-1.5 text-right font-medium">
                          {CATEGORY_LABELS[c]}
                        </th>
                      ))}
                      <th scope="col" className="py-1.5 text-right font-medium">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {days.map((d, i) => (
                      <tr key={d.day} className="border-b border-slate-100">
                        <th scope="row" className="py-1.5 text-left font-normal text-slate-700">
                          {d.label}
                        </th>
                        {CATEGORIES.map((c) => (
                          <td key={c} className="py-1.5 text-right tabular-nums text-slate-600">
                            {formatCredits(d[c])}
                          </td>
                        ))}
                        <td className="py-1.5 text-right tabular-nums font-medium text-slate-900">{formatCredits(totals[i] ?? 0)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </CardBody>
    </Card>
  );
}
