import type { Metadata } from "next";
import Link from "next/link";
import { currentAdmin, requireAdmin } from "@/lib/auth/session";
import { POLICY_LABELS, priceTable } from "@/lib/pricing/admin";
import { CATEGORY_LABELS } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/billing/local-time";
import { PageHeader } from "@/components/admin/page-header";
import { ScrollArea } from "@/components/ui/scroll-area";
import { ActionKey } from "@/components/ui/action-key";

// Titles only for operators: anyone else gets the 404 page's, so the title does not hint at the console.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: "Prices" } : {};
}

export default async function AdminPricesPage() {
  await requireAdmin();
  const rows = await priceTable();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Price table"
        description="What each action costs now. A change adds the next version of the action (effective at once or at a time you choose); every usage event keeps the version it was charged at."
      />
      <Card aria-labelledby="prices-heading">
        <h2 id="prices-heading" className="sr-only">
          Actions and their current prices
        </h2>
        <ScrollArea label="Price table">
          <table className="w-full min-w-[60rem] text-sm">
            <caption className="sr-only">Every action with the version in force now</caption>
            <thead>
              <tr className="border-b border-slate-200 bg-slate-50/60 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <th scope="col" className="py-2.5 pl-5 pr-3 font-medium sm:pl-6">
                  Action
                </th>
                <th scope="col" className="px-3 py-2.5 text-right font-medium">
                  Credits
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Out of credits
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Provider
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Mode
                </th>
                <th scope="col" className="px-3 py-2.5 text-right font-medium">
                  Reserve
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Version · effective from
                </th>
                <th scope="col" className="py-2.5 pl-3 pr-5 font-medium sm:pr-6">
                  <span className="sr-only">Edit</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => {
                const p = row.current;
                return (
                  <tr key={row.actionKey}>
                    <th scope="row" className="py-3 pl-5 pr-3 text-left font-normal sm:pl-6">
                      <span className="block font-medium text-slate-900">{row.name}</span>
                      <span className="block font-mono text-xs text-slate-500">
                        <ActionKey value={row.actionKey} /> · {CATEGORY_LABELS[row.category]}
                      </span>
                    </th>
                    <td className="px-3 py-3 text-right text-base tabular-nums font-semibold text-slate-900">
                      {p ? formatCredits(p.credits) : "—"}
                    </td>
                    <td className="px-3 py-3 text-slate-700">{p ? POLICY_LABELS[p.policy] : "—"}</td>
                    <td className="px-3 py-3 text-slate-700">{p?.provider ?? <span className="text-slate-500">—</span>}</td>
                    <td className="px-3 py-3 text-slate-700">{p ? (p.sync ? "Sync" : "Async") : "—"}</td>
                    <td className="px-3 py-3 text-right tabular-nums text-slate-700">
                      {p?.reserveCredits != null ? formatCredits(p.reserveCredits) : <span className="text-slate-500">—</span>}
                    </td>
                    <td className="px-3 py-3 text-slate-700">
                      {p ? (
                        <span className="whitespace-nowrap">
                          v{p.version} · {p.effectiveFrom.getTime() === 0 ? "initial" : <LocalTime iso={p.effectiveFrom.toISOString()} />}
                        </span>
                      ) : (
                        <span className="text-slate-500">not in force yet</span>
                      )}
                      <span className="mt-1 flex flex-wrap gap-1">
                        {row.scheduled ? (
                          <Badge
                            tone="warning"
                            title={`Version ${row.scheduled.version} takes effect ${row.scheduled.effectiveFrom.toISOString()}`}
                          >
                            v{row.scheduled.version} scheduled: {formatCredits(row.scheduled.credits)} credits
                          </Badge>
                        ) : null}
                        {!row.active ? <Badge>inactive</Badge> : null}
                      </span>
                    </td>
                    <td className="py-3 pl-3 pr-5 text-right sm:pr-6">
                      <Link
                        href={`/admin/prices/${encodeURIComponent(row.actionKey)}`}
                        aria-label={`Edit ${row.actionKey}`}
                        className="rounded-md px-2.5 py-1.5 text-sm font-semibold text-indigo-700 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50"
                      >
                        Edit
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollArea>
      </Card>
    </div>
  );
}
