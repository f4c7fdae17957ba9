"use client";

import type { Balance } from "@/lib/credits";
import { CATEGORY_COLORS, CATEGORY_LABELS } from "@/lib/pricing/categories";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Swatch } from "@/components/ui/swatch";
import { Table } from "@/components/ui/table";
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
          <Table
            look="plain"
            inset={false}
            caption={`Credits used ${when} by action type`}
            rows={rows}
            rowKey={(r) => r.category}
            columns={[
              {
                header: "Action type",
                rowHeader: true,
                cellClassName: "text-slate-800",
                cell: (r) => (
                  <>
                    <Swatch color={CATEGORY_COLORS[r.category]} />
                    {r.label}
                  </>
                ),
                footer: "Total",
              },
              { header: "Actions", align: "right", cellClassName: "text-slate-600", cell: (r) => formatCredits(r.events) },
              {
                header: "Credits",
                align: "right",
                cellClassName: "font-medium text-slate-900",
                cell: (r) => formatCredits(r.credits),
                footer: formatCredits(total),
              },
            ]}
          />
        </div>
      </CardBody>
    </Card>
  );
}
