import { requireAdmin } from "@/lib/auth/session";
import { type SearchParams } from "@/lib/search-params";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { overview, type Overview } from "@/lib/admin/overview";
import { parseRange, RANGES } from "@/lib/admin/ranges";
import { countOpenSalesLeads } from "@/lib/admin/sales-leads";
import { CATEGORY_COLORS, CATEGORY_LABELS, type Category } from "@/lib/pricing/categories";
import { formatCents, formatCredits } from "@/lib/format";
import { CardBody, TitledCard } from "@/components/ui/card";
import { workspaceColumn } from "@/components/admin/name-cell";
import { PageHeader } from "@/components/ui/page-header";
import { RangeTabs } from "@/components/admin/range-tabs";
import { ShareBar } from "@/components/admin/share-bar";
import { Stat } from "@/components/admin/stat";
import { UsageOverTime } from "@/components/admin/usage-over-time";
import { Table, type Column } from "@/components/ui/table";
import { Swatch } from "@/components/ui/swatch";
import { ActionKey } from "@/components/ui/action-key";

export const generateMetadata = adminMetadata({ absolute: "Admin overview · Creditbook" });

function share(part: number, whole: number): string {
  if (whole <= 0) return "0%";
  const pct = (part / whole) * 100;
  return pct > 0 && pct < 1 ? "<1%" : `${Math.round(pct)}%`;
}

const STRONG = "font-medium text-slate-900";

type TopWorkspace = Overview["topWorkspaces"][number];

/** The last column of the action tables: each row's share of `whole` as a bar and a percentage (from sm up). */
function shareColumn(width: string, whole: number): Column<{ category: Category; credits: number }> {
  return {
    header: "Share",
    fromSm: true,
    headClassName: `${width} text-right`,
    cell: (row) => (
      <span className="flex items-center gap-2">
        <ShareBar share={whole > 0 ? row.credits / whole : 0} color={CATEGORY_COLORS[row.category]} />
        <span className="w-9 text-right tabular-nums text-slate-600">{share(row.credits, whole)}</span>
      </span>
    ),
  };
}

export default async function AdminOverviewPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const range = parseRange((await searchParams).range);
  const [data, openLeads] = await Promise.all([overview(range), countOpenSalesLeads()]);
  const { total } = data;
  const actionTotal = data.actions.reduce((s, a) => s + a.credits, 0);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Overview"
        description={`Credits consumed across every workspace: ${RANGES[range].description}.`}
        action={<RangeTabs current={range} />}
      />

      {/* Seven figures: what was consumed and earned (three wide), then what waits for someone (four narrower). */}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-12">
        <Stat
          className="sm:col-span-2 lg:col-span-4"
          label="Credits consumed"
          value={formatCredits(total.credits)}
          hint={`in ${formatCredits(total.events)} charged actions`}
        />
        <Stat
          className="lg:col-span-4"
          label="Revenue"
          value={formatCents(data.revenue.packsCents + data.revenue.plansCents - data.revenue.refundsCents)}
          hint={`${formatCents(data.revenue.packsCents)} packs · ${formatCents(data.revenue.plansCents)} plans${data.revenue.refundsCents > 0 ? ` · −${formatCents(data.revenue.refundsCents)} refunds` : ""}`}
        />
        <Stat
          className="lg:col-span-4"
          label="Active workspaces"
          value={formatCredits(data.activeWorkspaces)}
          hint="that consumed credits in this range"
        />
        <Stat
          className="lg:col-span-3"
          label="Queued events"
          value={formatCredits(data.queued.events)}
          hint={
            data.queued.events > 0
              ? `${formatCredits(data.queued.credits)} credits due when workspaces refill`
              : "nothing waiting for credits"
          }
          tone={data.queued.events > 0 ? "warning" : "neutral"}
        />
        <Stat
          className="lg:col-span-3"
          label="Failed webhook deliveries"
          value={formatCredits(data.failedWebhooks)}
          hint={data.failedWebhooks > 0 ? "undelivered after a failed attempt; retried with backoff" : "every webhook delivered"}
          tone={data.failedWebhooks > 0 ? "warning" : "neutral"}
        />
        <Stat
          className="lg:col-span-3"
          label="Failed Stripe events"
          value={formatCredits(data.failedStripeEvents)}
          hint={data.failedStripeEvents > 0 ? "open the Stripe event log to replay them" : "every Stripe event processed"}
          href={data.failedStripeEvents > 0 ? "/admin/stripe?state=failed" : undefined}
          tone={data.failedStripeEvents > 0 ? "warning" : "neutral"}
        />
        <Stat
          className="lg:col-span-3"
          label="Open sales leads"
          value={formatCredits(openLeads)}
          hint={openLeads > 0 ? "Contact sales requests waiting for a reply" : "every Contact sales request answered"}
          href={openLeads > 0 ? "/admin/leads?status=open" : undefined}
          tone={openLeads > 0 ? "warning" : "neutral"}
        />
      </div>

      <TitledCard
        title="Credits consumed over time"
        description={data.bucket === "hour" ? "Per hour today (UTC), stacked by action type." : "Per day (UTC), stacked by action type."}
      >
        <CardBody>
          <UsageOverTime series={data.series} bucket={data.bucket} />
        </CardBody>
      </TitledCard>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <TitledCard title="By action type" description="Credits charged in this range, net of refunds.">
          <Table
            look="plain"
            caption="Credits consumed by action type"
            scroll={{ label: "Action types table", minWidth: "sm:min-w-[28rem]" }}
            rows={data.categories}
            rowKey={(c) => c.category}
            columns={[
              {
                header: "Action type",
                rowHeader: true,
                cellClassName: "text-slate-800",
                cell: (c) => (
                  <>
                    <Swatch color={CATEGORY_COLORS[c.category]} />
                    {CATEGORY_LABELS[c.category]}
                  </>
                ),
                footer: "Total",
              },
              {
                header: "Actions",
                align: "right",
                cellClassName: "text-slate-600",
                cell: (c) => formatCredits(c.events),
                footer: formatCredits(total.events),
              },
              {
                header: "Credits",
                align: "right",
                cellClassName: STRONG,
                cell: (c) => formatCredits(c.credits),
                footer: formatCredits(total.credits),
              },
              shareColumn("w-28", total.credits),
            ]}
          />
        </TitledCard>

        <TitledCard title="Top workspaces" description="The 10 workspaces that consumed the most credits in this range.">
          <Table
            look="plain"
            caption="Top 10 workspaces by credits consumed"
            scroll={{ label: "Top workspaces table", minWidth: "sm:min-w-[28rem]" }}
            rows={data.topWorkspaces}
            empty="No workspace consumed credits in this range."
            columns={[
              { header: "#", className: "w-10 pr-2", cellClassName: "tabular-nums text-slate-500", cell: (_, i) => i + 1 },
              workspaceColumn<TopWorkspace>("max-w-[12rem] sm:max-w-[16rem]", (w) => ({
                detail: (
                  <>
                    {w.ownerEmail ?? "no owner"} · <span className="font-mono">{w.shortId}</span>
                  </>
                ),
                detailTitle: w.id,
              })),
              { header: "Plan", fromSm: true, cellClassName: "text-slate-600", cell: (w) => w.planName },
              { header: "Credits", align: "right", cellClassName: STRONG, cell: (w) => formatCredits(w.credits) },
            ]}
          />
        </TitledCard>
      </div>

      <TitledCard
        title="By action"
        description="Completed actions in this range by the time they were requested (refunded ones are not counted)."
      >
        <Table
          look="plain"
          caption="Credits consumed by action"
          scroll={{ label: "Actions table", minWidth: "sm:min-w-[40rem]" }}
          rows={data.actions}
          rowKey={(a) => a.actionKey}
          empty="No actions were charged in this range."
          columns={[
            {
              header: "Action",
              rowHeader: true,
              cell: (a) => (
                <>
                  <span className="block font-medium text-slate-900">{a.name}</span>
                  <ActionKey value={a.actionKey} className="block text-xs text-slate-500" />
                </>
              ),
            },
            { header: "Type", fromSm: true, cellClassName: "text-slate-600", cell: (a) => CATEGORY_LABELS[a.category] },
            { header: "Actions", align: "right", cellClassName: "text-slate-600", cell: (a) => formatCredits(a.events) },
            { header: "Credits", align: "right", cellClassName: STRONG, cell: (a) => formatCredits(a.credits) },
            shareColumn("w-40", actionTotal),
          ]}
        />
      </TitledCard>

      {data.hasPastDays ? (
        <p className="text-xs text-slate-500">
          Today’s figures are live. Earlier days are read once and refreshed every few minutes, so a late refund or a queued action charged
          later may take that long to show.
        </p>
      ) : null}
    </div>
  );
}
