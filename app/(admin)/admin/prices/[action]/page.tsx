import Link from "next/link";
import { notFound } from "next/navigation";
import { requireAdmin } from "@/lib/auth/session";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { POLICIES, POLICY_LABELS, priceHistory, type VersionState } from "@/lib/pricing/admin";
import { CATEGORY_LABELS } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { CardBody, TitledCard } from "@/components/ui/card";
import { LocalTime } from "@/components/billing/local-time";
import { PriceForm } from "@/components/admin/price-form";
import { changePriceAction } from "./actions";
import { Table } from "@/components/ui/table";
import { ActionKey } from "@/components/ui/action-key";

export const generateMetadata = adminMetadata("Edit price");

const STATE: Record<VersionState, { label: string; tone: "success" | "warning" | "neutral" | "brand" }> = {
  in_force: { label: "In force", tone: "success" },
  scheduled: { label: "Scheduled", tone: "warning" },
  past: { label: "Past", tone: "neutral" },
  never: { label: "Replaced before it applied", tone: "neutral" },
};

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export default async function AdminPricePage({ params }: { params: Promise<{ action: string }> }) {
  await requireAdmin();
  const actionKey = safeDecode((await params).action);
  const history = actionKey ? await priceHistory(actionKey) : null;
  if (!actionKey || !history) notFound();
  const { current, latest, versions } = history;
  const base = current ?? latest;
  const scheduled = versions.filter((v) => v.state === "scheduled");

  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/prices" className="text-sm font-medium text-indigo-700 hover:text-indigo-600">
          ← Price table
        </Link>
        <h1 className="mt-2 text-2xl font-bold tracking-tight text-slate-900">{base.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          <ActionKey value={actionKey} /> · {CATEGORY_LABELS[base.category]} ·{" "}
          {current ? (
            <>
              now <strong className="font-semibold text-slate-900">{formatCredits(current.credits)} credits</strong> (version{" "}
              {current.version})
            </>
          ) : (
            "no version in force yet"
          )}
        </p>
      </div>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <TitledCard
          className="lg:col-span-2"
          title="Change the price"
          description={
            scheduled.length > 0 ? (
              <span className="text-amber-800">
                Version {scheduled.map((v) => v.version).join(", ")} is scheduled. A change that takes effect earlier replaces it.
              </span>
            ) : (
              "Adds a new version; nothing already charged changes."
            )
          }
        >
          <CardBody>
            <PriceForm
              action={changePriceAction.bind(null, actionKey)}
              actionKey={actionKey}
              nextVersion={latest.version + 1}
              initial={{
                credits: base.credits,
                reserveCredits: base.reserveCredits,
                policy: base.policy,
                provider: base.provider,
                sync: base.sync,
              }}
              policies={POLICIES.map((p) => ({ value: p, label: POLICY_LABELS[p] }))}
            />
          </CardBody>
        </TitledCard>

        <TitledCard
          className="lg:col-span-3"
          title="Version history"
          description="Newest first. The highest version whose start has passed is the one in force."
        >
          <Table
            caption={`Versions of ${actionKey}, newest first`}
            scroll={{ label: "Versions table", minWidth: "min-w-[44rem]" }}
            rows={versions}
            rowClassName={(v) => (v.state === "in_force" ? "bg-emerald-50/40" : undefined)}
            columns={[
              {
                header: "Version",
                rowHeader: true,
                cell: (v) => (
                  <>
                    <span className="block font-semibold text-slate-900">v{v.version}</span>
                    <Badge tone={STATE[v.state].tone} className="mt-1">
                      {STATE[v.state].label}
                    </Badge>
                  </>
                ),
              },
              {
                header: "Credits",
                align: "right",
                cellClassName: "text-base font-semibold text-slate-900",
                cell: (v) => formatCredits(v.credits),
              },
              {
                header: "Effective from",
                cellClassName: "text-slate-700",
                cell: (v) => (
                  <>
                    {v.effectiveFrom.getTime() === 0 ? "initial price" : <LocalTime iso={v.effectiveFrom.toISOString()} />}
                    {v.until && v.state !== "never" ? (
                      <span className="block text-xs text-slate-500">
                        until <LocalTime iso={v.until.toISOString()} />
                      </span>
                    ) : null}
                  </>
                ),
              },
              {
                header: "Terms",
                cellClassName: "text-xs text-slate-600",
                cell: (v) => (
                  <>
                    <span className="block">{POLICY_LABELS[v.policy]}</span>
                    <span className="block">
                      {v.sync ? "sync" : "async"}
                      {v.reserveCredits != null ? ` · reserve ${formatCredits(v.reserveCredits)}` : ""}
                      {v.provider ? ` · ${v.provider}` : ""}
                    </span>
                  </>
                ),
              },
              {
                header: "Who · why",
                cellClassName: "max-w-[18rem]",
                cell: (v) => (
                  <>
                    <span className="block truncate text-slate-800">
                      {v.createdByEmail ?? <span className="text-slate-500">seed</span>}
                    </span>
                    <span className="block text-xs text-slate-500">{v.reason ?? "—"}</span>
                  </>
                ),
              },
            ]}
          />
        </TitledCard>
      </div>
    </div>
  );
}
