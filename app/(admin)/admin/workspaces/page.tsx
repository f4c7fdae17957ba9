import type { Metadata } from "next";
import Link from "next/link";
import { currentAdmin, requireAdmin } from "@/lib/auth/session";
import { parsePage, searchWorkspaces } from "@/lib/admin/workspaces";
import { formatCredits, formatUtcDay } from "@/lib/format";
import { Card, CardBody } from "@/components/ui/card";
import { Button, ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/admin/page-header";
import { Pager } from "@/components/admin/pager";
import { SubscriptionBadge } from "@/components/admin/subscription-badge";
import { ScrollArea } from "@/components/ui/scroll-area";

// Titles only for operators: anyone else gets the 404 page's, so the title does not hint at the console.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: "Workspaces" } : {};
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminWorkspacesPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.slice(0, 200) : "";
  const result = await searchWorkspaces({ q, page: parsePage(params.page) });
  const href = (page: number) =>
    `/admin/workspaces?${new URLSearchParams({ ...(q ? { q } : {}), ...(page > 1 ? { page: String(page) } : {}) })}`;

  return (
    <div className="space-y-6">
      <PageHeader title="Workspaces" description="Every billing account: find one by name, id, external id or a member’s email." />
      <Card aria-label="Search workspaces">
        <CardBody>
          <form role="search" action="/admin/workspaces" className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <div className="min-w-0 flex-1">
              <label htmlFor="workspace-search" className="block text-sm font-medium text-slate-900">
                Search
              </label>
              <input
                id="workspace-search"
                name="q"
                type="search"
                defaultValue={q}
                placeholder="Name, workspace id, external id or member email"
                className="mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm"
              />
            </div>
            <div className="flex gap-2">
              <Button type="submit">Search</Button>
              {q ? (
                <ButtonLink href="/admin/workspaces" variant="secondary">
                  Clear
                </ButtonLink>
              ) : null}
            </div>
          </form>
        </CardBody>
      </Card>

      <Card aria-labelledby="workspaces-heading">
        <h2 id="workspaces-heading" className="sr-only">
          {q ? `Workspaces matching “${q}”` : "All workspaces"}
        </h2>
        {result.rows.length === 0 ? (
          <CardBody>
            <p className="text-sm text-slate-500">{q ? `No workspace matches “${q}”.` : "No workspaces yet."}</p>
          </CardBody>
        ) : (
          <>
            <ScrollArea label="Workspaces table">
              <table className="w-full min-w-[52rem] text-sm">
                <caption className="sr-only">{q ? `Workspaces matching “${q}”, newest first` : "Workspaces, newest first"}</caption>
                <thead>
                  <tr className="border-b border-slate-200 bg-slate-50/60 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                    <th scope="col" className="py-2.5 pl-5 pr-3 font-medium sm:pl-6">
                      Workspace
                    </th>
                    <th scope="col" className="px-3 py-2.5 font-medium">
                      Owner
                    </th>
                    <th scope="col" className="px-3 py-2.5 font-medium">
                      Plan
                    </th>
                    <th scope="col" className="px-3 py-2.5 text-right font-medium">
                      Credits left
                    </th>
                    <th scope="col" className="py-2.5 pl-3 pr-5 font-medium sm:pr-6">
                      Created
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {result.rows.map((w) => (
                    <tr key={w.id}>
                      <th scope="row" className="max-w-[18rem] py-3 pl-5 pr-3 text-left font-normal sm:pl-6">
                        <Link
                          href={`/admin/workspaces/${w.id}`}
                          className="block truncate font-medium text-indigo-700 hover:text-indigo-600"
                        >
                          {w.name}
                        </Link>
                        <span className="block truncate font-mono text-xs text-slate-500">
                          {w.id}
                          {w.externalId ? ` · ext ${w.externalId}` : ""}
                        </span>
                      </th>
                      <td className="max-w-[16rem] px-3 py-3 text-slate-700">
                        <span className="block truncate">{w.owners[0] ?? <span className="text-slate-500">none (platform)</span>}</span>
                        {w.members > 1 ? <span className="block text-xs text-slate-500">{w.members} members</span> : null}
                      </td>
                      <td className="px-3 py-3">
                        <span className="flex flex-wrap items-center gap-1.5">
                          <span className="text-slate-800">{w.planName}</span>
                          <SubscriptionBadge status={w.subscriptionStatus} />
                        </span>
                      </td>
                      <td className="px-3 py-3 text-right tabular-nums font-medium text-slate-900">{formatCredits(w.remaining)}</td>
                      <td className="whitespace-nowrap py-3 pl-3 pr-5 text-slate-600 sm:pr-6">{formatUtcDay(w.createdAt.toISOString())}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
            <Pager
              label="Pages of workspaces"
              page={result.page}
              pages={result.pages}
              total={result.total}
              noun={["workspace", "workspaces"]}
              href={href}
            />
          </>
        )}
      </Card>
    </div>
  );
}
