import type { Metadata } from "next";
import Link from "next/link";
import { currentAdmin, requireAdmin } from "@/lib/auth/session";
import { overview } from "@/lib/admin/overview";
import { parseRange, RANGES } from "@/lib/admin/ranges";
import { countOpenSalesLeads } from "@/lib/admin/sales-leads";
import { CATEGORY_COLORS, CATEGORY_LABELS } from "@/lib/pricing/categories";
import { formatCents, formatCredits } from "@/lib/format";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/admin/page-header";
import { RangeTabs } from "@/components/admin/range-tabs";
import { ShareBar } from "@/components/admin/share-bar";
import { Stat } from "@/components/admin/stat";
import { UsageOverTime } from "@/components/admin/usage-over-time";
import { ScrollArea } from "@/components/ui/scroll-area";
import { ActionKey } from "@/components/ui/action-key";

// Titles only for operators: anyone else gets the 404 page's, so the title does not hint at the console.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: { absolute: "Admin overview · Creditbook" } } : {};
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function share(part: number, whole: number): string {
  if (whole <= 0) return "0%";
  const pct = (part / whole) * 100;
  return pct > 0 && pct < 1 ? "<1%" : `${Math.round(pct)}%`;
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

      <Card aria-labelledby="over-time-heading">
        <CardHeader
          id="over-time-heading"
          title="Credits consumed over time"
          description={data.bucket === "hour" ? "Per hour today (UTC), stacked by action type." : "Per day (UTC), stacked by action type."}
        />
        <CardBody>
          <UsageOverTime series={data.series} bucket={data.bucket} />
        </CardBody>
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card aria-labelledby="categories-heading">
          <CardHeader id="categories-heading" title="By action type" description="Credits charged in this range, net of refunds." />
          <ScrollArea label="Action types table">
            <table className="w-full text-sm sm:min-w-[28rem]">
              <caption className="sr-only">Credits consumed by action type</caption>
              <thead>
                <tr className="border-b border-slate-200 text-left text-slate-500">
                  <th scope="col" className="py-2 pl-5 pr-3 font-medium sm:pl-6">
                    Action type
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Actions
                  </th>
                  <th scope="col" className="py-2 pl-3 pr-5 text-right font-medium sm:px-3">
                    Credits
                  </th>
                  <th scope="col" className="hidden w-28 py-2 pl-3 pr-5 text-right font-medium sm:table-cell sm:pr-6">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.categories.map((c) => (
                  <tr key={c.category} className="border-b border-slate-100">
                    <th scope="row" className="py-2 pl-5 pr-3 text-left font-normal text-slate-800 sm:pl-6">
                      <span
                        className="mr-2 inline-block h-2.5 w-2.5 rounded-sm"
                        style={{ backgroundColor: CATEGORY_COLORS[c.category] }}
                        aria-hidden="true"
                      />
                      {CATEGORY_LABELS[c.category]}
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums text-slate-600">{formatCredits(c.events)}</td>
                    <td className="py-2 pl-3 pr-5 text-right tabular-nums font-medium text-slate-900 sm:px-3">
                      {formatCredits(c.credits)}
                    </td>
                    <td className="hidden py-2 pl-3 pr-5 sm:table-cell sm:pr-6">
                      <span className="flex items-center gap-2">
                        <ShareBar share={total.credits > 0 ? c.credits / total.credits : 0} color={CATEGORY_COLORS[c.category]} />
                        <span className="w-9 text-right tabular-nums text-slate-600">{share(c.credits, total.credits)}</span>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" className="py-2.5 pl-5 text-left font-semibold sm:pl-6">
                    Total
                  </th>
                  <td className="px-3 py-2.5 text-right tabular-nums font-semibold">{formatCredits(total.events)}</td>
                  <td className="py-2.5 pl-3 pr-5 text-right tabular-nums font-semibold sm:px-3">{formatCredits(total.credits)}</td>
                  <td className="hidden sm:table-cell" />
                </tr>
              </tfoot>
            </table>
          </ScrollArea>
        </Card>

        <Card aria-labelledby="top-heading">
          <CardHeader
            id="top-heading"
            title="Top workspaces"
            description="The 10 workspaces that consumed the most credits in this range."
          />
          {data.topWorkspaces.length === 0 ? (
            <CardBody>
              <p className="text-sm text-slate-500">No workspace consumed credits in this range.</p>
            </CardBody>
          ) : (
            <ScrollArea label="Top workspaces table">
              <table className="w-full text-sm sm:min-w-[28rem]">
                <caption className="sr-only">Top 10 workspaces by credits consumed</caption>
                <thead>
                  <tr className="border-b border-slate-200 text-left text-slate-500">
                    <th scope="col" className="w-10 py-2 pl-5 pr-2 font-medium sm:pl-6">
                      #
                    </th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      Workspace
                    </th>
                    <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
                      Plan
                    </th>
                    <th scope="col" className="py-2 pl-3 pr-5 text-right font-medium sm:pr-6">
                      Credits
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.topWorkspaces.map((w, i) => (
                    <tr key={w.id} className="border-b border-slate-100">
                      <td className="py-2 pl-5 pr-2 tabular-nums text-slate-500 sm:pl-6">{i + 1}</td>
                      <th scope="row" className="max-w-[12rem] px-3 py-2 text-left font-normal sm:max-w-[16rem]">
                        <Link
                          href={`/admin/workspaces/${w.id}`}
                          className="block truncate font-medium text-indigo-700 hover:text-indigo-600"
                        >
                          {w.name}
                        </Link>
                        <span className="block truncate text-xs text-slate-500" title={w.id}>
                          {w.ownerEmail ?? "no owner"} · <span className="font-mono">{w.shortId}</span>
                        </span>
                      </th>
                      <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">{w.planName}</td>
                      <td className="py-2 pl-3 pr-5 text-right tabular-nums font-medium text-slate-900 sm:pr-6">
                        {formatCredits(w.credits)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          )}
        </Card>
      </div>

      <Card aria-labelledby="actions-heading">
        <CardHeader
          id="actions-heading"
          title="By action"
          description="Completed actions in this range by the time they were requested (refunded ones are not counted)."
        />
        {data.actions.length === 0 ? (
          <CardBody>
            <p className="text-sm text-slate-500">No actions were charged in this range.</p>
          </CardBody>
        ) : (
          <ScrollArea label="Actions table">
            <table className="w-full text-sm sm:min-w-[40rem]">
              <caption className="sr-only">Credits consumed by action</caption>
              <thead>
                <tr className="border-b border-slate-200 text-left text-slate-500">
                  <th scope="col" className="py-2 pl-5 pr-3 font-medium sm:pl-6">
                    Action
                  </th>
                  <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
                    Type
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Actions
                  </th>
                  <th scope="col" className="py-2 pl-3 pr-5 text-right font-medium sm:px-3">
                    Credits
                  </th>
                  <th scope="col" className="hidden w-40 py-2 pl-3 pr-5 text-right font-medium sm:table-cell sm:pr-6">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.actions.map((a) => {
                  return (
                    <tr key={a.actionKey} className="border-b border-slate-100">
                      <th scope="row" className="py-2 pl-5 pr-3 text-left font-normal sm:pl-6">
                        <span className="block font-medium text-slate-900">{a.name}</span>
                        <ActionKey value={a.actionKey} className="block text-xs text-slate-500" />
                      </th>
                      <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">{CATEGORY_LABELS[a.category]}</td>
                      <td className="px-3 py-2 text-right tabular-nums text-slate-600">{formatCredits(a.events)}</td>
                      <td className="py-2 pl-3 pr-5 text-right tabular-nums font-medium text-slate-900 sm:px-3">
                        {formatCredits(a.credits)}
                      </td>
                      <td className="hidden py-2 pl-3 pr-5 sm:table-cell sm:pr-6">
                        <span className="flex items-center gap-2">
                          <ShareBar share={actionTotal > 0 ? a.credits / actionTotal : 0} color={CATEGORY_COLORS[a.category]} />
                          <span className="w-9 text-right tabular-nums text-slate-600">{share(a.credits, actionTotal)}</span>
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </Card>

      {data.hasPastDays ? (
        <p className="text-xs text-slate-500">
          Today’s figures are live. Earlier days are read once and refreshed every few minutes, so a late refund or a queued action charged
          later may take that long to show.
        </p>
      ) : null}
    </div>
  );
}
