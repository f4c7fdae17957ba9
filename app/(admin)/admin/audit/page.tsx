import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { withQuery, type SearchParams } from "@/lib/search-params";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { auditPage } from "@/lib/admin/audit";
import { parsePage } from "@/lib/admin/workspaces";
import { Badge } from "@/components/ui/badge";
import { TitledCard } from "@/components/ui/card";
import { LocalTime } from "@/components/billing/local-time";
import { AuditData } from "@/components/admin/audit-data";
import { PageHeader } from "@/components/admin/page-header";
import { Pager } from "@/components/admin/pager";
import { Table } from "@/components/ui/table";

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

function Target({ target }: { target: { type: string; id: string; label: string | null } }) {
  const href = targetHref(target.type, target.id);
  const label = target.label ?? target.id;
  return (
    <>
      {href ? (
        <Link href={href} className="block truncate font-medium text-indigo-700 hover:text-indigo-600">
          {label}
        </Link>
      ) : (
        <span className="block truncate text-slate-800">{label}</span>
      )}
      <span className="block text-xs text-slate-500">{TARGET_LABEL[target.type] ?? target.type}</span>
    </>
  );
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
      <TitledCard id="audit-heading" title="Audit entries" titleHidden>
        <Table
          caption="Audit log entries, newest first"
          scroll={{ label: "Audit log table", minWidth: "min-w-[60rem]" }}
          rows={result.rows}
          rowClassName="align-top"
          empty="Nothing yet: price changes, grants and adjustments appear here."
          columns={[
            { header: "Time", cellClassName: "whitespace-nowrap text-slate-600", cell: (r) => <LocalTime iso={r.at.toISOString()} /> },
            {
              header: "Who",
              cellClassName: "max-w-[14rem]",
              cell: (r) => (
                <span className="block truncate text-slate-800">{r.actor ?? <span className="text-slate-500">system</span>}</span>
              ),
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
            { header: "Target", cellClassName: "max-w-[14rem]", cell: (r) => <Target target={r.target} /> },
            { header: "Before → after", cell: (r) => <AuditData action={r.action} data={r.data} /> },
            {
              header: "Reason",
              cellClassName: "max-w-[20rem] text-slate-700",
              cell: (r) => r.reason ?? <span className="text-slate-500">—</span>,
            },
          ]}
        />
        <Pager
          label="Pages of the audit log"
          of={result}
          noun={["entry", "entries"]}
          href={(page) => withQuery("/admin/audit", { page })}
        />
      </TitledCard>
    </div>
  );
}
