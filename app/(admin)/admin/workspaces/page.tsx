import { requireAdmin } from "@/lib/auth/session";
import { withQuery, type SearchParams } from "@/lib/search-params";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { parsePage, searchWorkspaces, type WorkspaceListRow } from "@/lib/admin/workspaces";
import { formatCredits, formatUtcDay } from "@/lib/format";
import { FilterCard } from "@/components/admin/filter-card";
import { workspaceColumn } from "@/components/admin/name-cell";
import { PageHeader } from "@/components/ui/page-header";
import { PagedTable } from "@/components/admin/paged-table";
import { SubscriptionBadge } from "@/components/admin/subscription-badge";
import { Field } from "@/components/ui/field";

export const generateMetadata = adminMetadata("Workspaces");

export default async function AdminWorkspacesPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.slice(0, 200) : "";
  const result = await searchWorkspaces({ q, page: parsePage(params.page) });

  return (
    <div className="space-y-6">
      <PageHeader title="Workspaces" description="Every billing account: find one by name, id, external id or a member’s email." />
      <FilterCard
        label="Search workspaces"
        action="/admin/workspaces"
        filtered={Boolean(q)}
        submit="Search"
        search
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
      >
        <Field
          id="workspace-search"
          name="q"
          type="search"
          label="Search"
          defaultValue={q}
          placeholder="Name, workspace id, external id or member email"
          className="min-w-0 flex-1"
        />
      </FilterCard>

      <PagedTable
        title={q ? `Workspaces matching “${q}”` : "All workspaces"}
        id="workspaces-heading"
        caption={q ? `Workspaces matching “${q}”, newest first` : "Workspaces, newest first"}
        scroll={{ label: "Workspaces table", minWidth: "min-w-[52rem]" }}
        page={result}
        pager={{
          label: "Pages of workspaces",
          noun: ["workspace", "workspaces"],
          href: (page) => withQuery("/admin/workspaces", { q, page }),
        }}
        empty={q ? `No workspace matches “${q}”.` : "No workspaces yet."}
        columns={[
          workspaceColumn<WorkspaceListRow>("max-w-[18rem]", (w) => ({
            detail: `${w.id}${w.externalId ? ` · ext ${w.externalId}` : ""}`,
            detailClassName: "font-mono",
          })),
          {
            header: "Owner",
            cellClassName: "max-w-[16rem] text-slate-700",
            cell: (w) => (
              <>
                <span className="block truncate">{w.owners[0] ?? <span className="text-slate-500">none (platform)</span>}</span>
                {w.members > 1 ? <span className="block text-xs text-slate-500">{w.members} members</span> : null}
              </>
            ),
          },
          {
            header: "Plan",
            cell: (w) => (
              <span className="flex flex-wrap items-center gap-1.5">
                <span className="text-slate-800">{w.planName}</span>
                <SubscriptionBadge status={w.subscriptionStatus} />
              </span>
            ),
          },
          {
            header: "Credits left",
            align: "right",
            cellClassName: "font-medium text-slate-900",
            cell: (w) => formatCredits(w.remaining),
          },
          { header: "Created", cellClassName: "whitespace-nowrap text-slate-600", cell: (w) => formatUtcDay(w.createdAt.toISOString()) },
        ]}
      />
    </div>
  );
}
