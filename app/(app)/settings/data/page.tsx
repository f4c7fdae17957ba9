import type { Metadata } from "next";
import { requireWorkspace } from "@/lib/auth/session";
import { CardBody, TitledCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Data" };

const DOWNLOADS = [
  {
    href: "/api/workspace/export",
    label: "Export workspace data (JSON)",
    description:
      "One document: the workspace and its plan, members, credit buckets, every ledger entry, every usage event, API keys (without secrets), budgets and usage alerts.",
  },
  {
    href: "/api/workspace/ledger.csv",
    label: "Download the ledger (CSV)",
    description:
      "Every balance change, one row per ledger entry: grants, debits, holds, refunds, expiries and adjustments, with the bucket each one moved.",
  },
  {
    href: "/api/workspace/usage.csv",
    label: "Download the usage history (CSV)",
    description:
      "Every usage event with what it cost, where the credits came from and the balance after it — as on the Usage page, without filters.",
  },
] as const;

export default async function DataPage() {
  const { workspace, role } = await requireWorkspace();
  const owner = role === "OWNER";
  return (
    <div className="space-y-6">
      <PageHeader title="Data" description={<>Take everything Creditbook holds about {workspace.name} with you, in open formats.</>} />
      <TitledCard title="Export" description="Downloads are built as they stream, so even years of usage arrive in one go.">
        <CardBody>
          {owner ? (
            <ul className="divide-y divide-slate-100">
              {DOWNLOADS.map((d) => (
                <li key={d.href} className="flex flex-col gap-3 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-center sm:justify-between">
                  <p className="max-w-xl text-sm text-slate-600">{d.description}</p>
                  <a
                    href={d.href}
                    download
                    className="inline-flex items-center justify-center whitespace-nowrap rounded-md bg-white px-3.5 py-2 text-sm font-semibold text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
                  >
                    {d.label}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
              Only workspace owners can export its data. Ask an owner of {workspace.name}.
            </p>
          )}
        </CardBody>
      </TitledCard>
    </div>
  );
}
