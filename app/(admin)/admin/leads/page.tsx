import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { firstParam, withQuery, type SearchParams } from "@/lib/search-params";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { SALES_LEAD_FILTERS, salesLeadPage, type SalesLeadFilter } from "@/lib/admin/sales-leads";
import { parsePage } from "@/lib/admin/workspaces";
import { formatCredits } from "@/lib/format";
import { cn } from "@/lib/cn";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { LocalTime } from "@/components/billing/local-time";
import { MarkHandledButton } from "@/components/admin/mark-handled-button";
import { PageHeader } from "@/components/ui/page-header";
import { SegmentedNav } from "@/components/ui/segmented-nav";
import { Pager } from "@/components/admin/pager";
import { markSalesLeadHandledAction } from "./actions";

export const generateMetadata = adminMetadata("Sales leads");

const FILTER_LABEL: Record<SalesLeadFilter, string> = { all: "All", open: "Open", handled: "Handled" };
const SOURCE_LABEL: Record<string, string> = { pricing: "Pricing page", billing: "Settings → Billing" };
const EMPTY: Record<SalesLeadFilter, string> = {
  all: "No sales leads yet. They arrive from the Contact sales page, which the Enterprise plan links to on /pricing and Settings → Billing.",
  open: "No open leads: every request has been handled.",
  handled: "No lead has been marked handled yet.",
};

function Detail({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={cn("min-w-0", className)}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-slate-900">{children}</dd>
    </div>
  );
}

export default async function AdminSalesLeadsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const query = await searchParams;
  const filter = SALES_LEAD_FILTERS.find((f) => f === firstParam(query.status)) ?? "all";
  const result = await salesLeadPage({ filter, page: parsePage(firstParam(query.page)) });
  const href = (page: number, status: SalesLeadFilter = filter) =>
    withQuery("/admin/leads", { status: status === "all" ? undefined : status, page });

  return (
    <div className="space-y-6">
      <PageHeader
        title="Sales leads"
        description={
          <>
            Contact sales requests, newest first. Every operator gets each one by mail; we promise a reply within one business day, so mark
            a lead handled once it is answered.{" "}
            {result.open > 0 ? <span className="font-semibold text-amber-700">{formatCredits(result.open)} open.</span> : "None open."}
          </>
        }
        action={
          <SegmentedNav
            label="Filter leads"
            segments={SALES_LEAD_FILTERS.map((f) => ({ href: href(1, f), label: FILTER_LABEL[f], current: f === filter }))}
          />
        }
      />

      {result.rows.length === 0 ? (
        <Card aria-label="Sales leads">
          <CardBody>
            <p className="text-sm text-slate-500">{EMPTY[filter]}</p>
          </CardBody>
        </Card>
      ) : (
        <Card aria-label="Sales leads">
          <ul className="divide-y divide-slate-100">
            {result.rows.map((lead) => (
              <li key={lead.id} aria-labelledby={`lead-${lead.id}`} className="px-5 py-5 sm:px-6">
                <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
                  <div className="min-w-0">
                    <h2 id={`lead-${lead.id}`} className="break-words text-base font-semibold text-slate-900">
                      {lead.name} <span className="font-normal text-slate-500">·</span> {lead.company}
                    </h2>
                    <p className="mt-0.5 text-sm text-slate-500">
                      <LocalTime iso={lead.createdAt.toISOString()} />
                    </p>
                  </div>
                  <div className="flex flex-wrap gap-2">
                    {lead.plan ? <Badge tone="brand">{lead.plan}</Badge> : null}
                    {lead.handled ? <Badge tone="success">Handled</Badge> : <Badge tone="warning">Open</Badge>}
                  </div>
                </div>
                <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 text-sm lg:grid-cols-4">
                  <Detail label="Email" className="col-span-2 lg:col-span-1">
                    <a href={`mailto:${lead.email}`} className="font-medium text-indigo-700 hover:text-indigo-600">
                      {lead.email}
                    </a>
                  </Detail>
                  <Detail label="Credits a month">
                    {lead.expectedMonthlyCredits === null ? (
                      <span className="text-slate-500">Not given</span>
                    ) : (
                      <span className="tabular-nums">{formatCredits(lead.expectedMonthlyCredits)}</span>
                    )}
                  </Detail>
                  <Detail label="Workspace">
                    {lead.workspace ? (
                      <Link
                        href={`/admin/workspaces/${lead.workspace.id}`}
                        prefetch={false}
                        className="font-medium text-indigo-700 hover:text-indigo-600"
                      >
                        {lead.workspace.name}
                      </Link>
                    ) : (
                      <span className="text-slate-500">Not signed in</span>
                    )}
                  </Detail>
                  <Detail label="Came from">
                    {lead.source ? (SOURCE_LABEL[lead.source] ?? lead.source) : <span className="text-slate-500">The page itself</span>}
                  </Detail>
                </dl>
                <blockquote className="mt-4 whitespace-pre-wrap break-words rounded-lg bg-slate-50 px-4 py-3 text-sm leading-6 text-slate-700 ring-1 ring-inset ring-slate-200">
                  {lead.message}
                </blockquote>
                <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
                  {lead.handled ? (
                    <p className="text-sm text-slate-600">
                      Handled by <span className="font-medium text-slate-900">{lead.handled.by ?? "an operator"}</span>,{" "}
                      <LocalTime iso={lead.handled.at.toISOString()} />
                    </p>
                  ) : (
                    <>
                      <a
                        href={`mailto:${lead.email}?subject=${encodeURIComponent(`Creditbook ${lead.plan ?? "Enterprise"} for ${lead.company}`)}`}
                        aria-label={`Reply by email to ${lead.name}`}
                        className="text-sm font-semibold text-indigo-700 hover:text-indigo-600"
                      >
                        Reply by email
                      </a>
                      <MarkHandledButton leadId={lead.id} who={lead.name} action={markSalesLeadHandledAction} />
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <Pager label="Pages of sales leads" of={result} noun={["lead", "leads"]} href={(p) => href(p)} />
        </Card>
      )}
    </div>
  );
}
