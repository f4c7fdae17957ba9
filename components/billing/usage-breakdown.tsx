"use client";

import type { Balance } from "@/lib/credits";
import { CATEGORY_COLORS, CATEGORY_LABELS } from "@/lib/pricing/categories";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatCredits } from "@/lib/format";
import { LazyCategoryBars } from "@/components/charts/lazy-charts";

/**
 * Credits charged by action category: a bar chart and its table. `when` says which period ("this period",
 * or "in November 2026") in the description, the empty state and the table's caption.
 */
export function UsageBreakdown({ breakdown, when = "this period" }: { breakdown: Balance["breakdown"]; when?: string }) {
  const rows = breakdown.map((b) => ({ ...b, label: CATEGORY_LABELS[b.category] }));
  const total = rows.reduce((s, r) => s + r.credits, 0);
  return (
    <Card aria-labelledby="breakdown-heading">
      <CardHeader id="breakdown-heading" title="Usage by action type" description={`Credits charged ${when}, by category.`} />
      <CardBody className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-3" aria-hidden="true">
          {total === 0 ? (
            <div className="flex h-60 items-center justify-center rounded-lg border border-dashed border-slate-300 text-sm text-slate-500">
              {when === "this period" ? "No usage yet this period." : `No usage ${when}.`}
            </div>
          ) : (
            <LazyCategoryBars rows={rows} height={240} />
          )}
        </div>
        <div className="lg:col-span-2">
          <table className="w-full text-sm">
            <caption className="sr-only">{`Credits used ${when} by action type`}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-500">
                <th scope="col" className="py-2 font-medium">
                  Action type
                </th>
                <th scope="col" className="py-2 text-right font-medium">
                  Actions
                </th>
                <th scope="col" className="py-2 text-right font-medium">
                  Credits
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.category} className="border-b border-slate-100">
                  <th scope="row" className="py-2 text-left font-normal text-slate-800">
                    <span
                      className="mr-2 inline-block h-2.5 w-2.5 rounded-sm"
                      style={{ backgroundColor: CATEGORY_COLORS[r.category] }}
                      aria-hidden="true"
                    />
                    {r.label}
                  </th>
                  <td className="py-2 text-right tabular-nums text-slate-600">{formatCredits(r.events)}</td>
                  <td className="py-2 text-right tabular-nums font-medium text-slate-900">{formatCredits(r.credits)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" className="pt-3 text-left font-semibold">
                  Total
                </th>
                <td />
                <td className="pt-3 text-right tabular-nums font-semibold">{formatCredits(total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </CardBody>
    </Card>
  );
}
