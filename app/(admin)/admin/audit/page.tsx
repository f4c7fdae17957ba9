import { requireAdmin } from "@/lib/auth/session";
import { withQuery, type SearchParams } from "@/lib/search-params";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { auditPage } from "@/lib/admin/audit";
import { parsePage } from "@/lib/admin/workspaces";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/billing/local-time";
import { AuditData } from "@/components/admin/audit-data";
import { NameCell } from "@/components/admin/name-cell";
import { PageHeader } from "@/components/ui/page-header";
import { PagedTable } from "@/components/admin/paged-table";

export const generateMetadata = adminMetadata("Audit log");

const ACTION_LABEL: Record<string, string> = {
  "price.update": "Price change",
  "credits.adjust": "Credit adjustment",
  "platform_key.create": "Platform key created",
  "platform_key.update": "Platform key changed",
  "platform_key.revoke": "Platform key revoked",
  "stripe_event.replay": "Stripe event replayed",
  "plan.update": "Plan changed",
  "plan.limits.update": "Plan limits changed",
  "pack.create": "Pack created",
  "pack.update": "Pack changed",
  "sales_lead.handle": "Sales lead handled",
  "api_key.embed_origins": "Embed origins changed",
  "portal_session.create": "Billing link created",
  "portal_session.open": "Billing link opened",
  "portal_session.reuse_refused": "Billing link reuse refused",
  "portal_session.checkout": "Checkout opened from a billing link",
  "portal_session.billing_portal": "Billing portal opened from a billing link",
  "portal_session.change_plan": "Plan changed from a billing link",
  "portal_session.keep_plan": "Plan kept from a billing link",
  "portal_session.revoke": "Billing link revoked",
};

const TARGET_LABEL: Record<string, string> = {
  action_price: "price",
  api_key: "API key",
  stripe_event: "Stripe event",
  sales_lead: "sales lead",
  portal_session: "billing link",
};

function targetHref(type: string, id: string): string | null {
  if (type === "workspace") return `/admin/workspaces/${id}`;
  if (type === "action_price") return `/admin/prices/${encodeURIComponent(id)}`;
  if (type === "api_key") return "/admin/keys";
  if (type === "plan" || type === "pack") return "/admin/catalog";
  if (type === "stripe_event") return `/admin/stripe?object=${encodeURIComponent(id)}`;
  if (type === "sales_lead") return "/admin/leads?status=handled";
  return null;
}

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const result = await auditPage({ page: parsePage((await searchParams).page) });
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Every operator action — price changes, grants and adjustments — with who did it and why. Newest first."
      />
      <PagedTable
        title="Audit entries"
        id="audit-heading"
        caption="Audit log entries, newest first"
        scroll={{ label: "Audit log table", minWidth: "min-w-[60rem]" }}
        page={result}
        pager={{ label: "Pages of the audit log", noun: ["entry", "entries"], href: (page) => withQuery("/admin/audit", { page }) }}
        rowClassName="align-top"
        empty="Nothing yet: price changes, grants and adjustments appear here."
        columns={[
          { header: "Time", cellClassName: "whitespace-nowrap text-slate-600", cell: (r) => <LocalTime iso={r.at.toISOString()} /> },
          {
            header: "Who",
            cellClassName: "max-w-[14rem]",
            cell: (r) => <span className="block truncate text-slate-800">{r.actor ?? <span className="text-slate-500">system</span>}</span>,
          },
          {
            header: "What",
            cell: (r) => (
              <>
                <Badge tone={r.action === "price.update" ? "warning" : "brand"}>{ACTION_LABEL[r.action] ?? r.action}</Badge>
                <span className="mt-1 block font-mono text-[11px] text-slate-500">{r.action}</span>
              </>
            ),
          },
          {
            header: "Target",
            cellClassName: "max-w-[14rem]",
            cell: ({ target: t }) => (
              <NameCell name={t.label ?? t.id} href={targetHref(t.type, t.id)} detail={TARGET_LABEL[t.type] ?? t.type} />
            ),
          },
          { header: "Before → after", cell: (r) => <AuditData action={r.action} data={r.data} /> },
          {
            header: "Reason",
            cellClassName: "max-w-[20rem] text-slate-700",
            cell: (r) => r.reason ?? <span className="text-slate-500">—</span>,
          },
        ]}
      />
    </div>
  );
}
