import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/auth/session";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { LEDGER_PAGE_SIZE, workspaceSummary } from "@/lib/admin/workspaces";
import { ledgerPage } from "@/lib/admin/ledger";
import { getBalance } from "@/lib/credits";
import { formatCredits } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { CardBody, TitledCard } from "@/components/ui/card";
import { CreditBuckets } from "@/components/billing/credit-buckets";
import { LocalTime } from "@/components/billing/local-time";
import { UsageBreakdown } from "@/components/billing/usage-breakdown";
import { AdjustCreditsForm } from "@/components/admin/adjust-credits-form";
import { LedgerTable } from "@/components/admin/ledger-table";
import { Stat } from "@/components/admin/stat";
import { SubscriptionBadge } from "@/components/admin/subscription-badge";
import { adjustCreditsAction } from "./actions";
import { formatUtcMonthDay } from "@/lib/format";

export const generateMetadata = adminMetadata("Workspace");

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-3 py-2 text-sm sm:grid-cols-[11rem_1fr]">
      <dt className="text-slate-500">{term}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

export default async function AdminWorkspacePage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const workspace = await workspaceSummary(id);
  if (!workspace) notFound();
  const [balance, ledger] = await Promise.all([getBalance(workspace.id), ledgerPage({ workspace: workspace.id }, LEDGER_PAGE_SIZE)]);

  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/workspaces" className="text-sm font-medium text-indigo-700 hover:text-indigo-600">
          ← Workspaces
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <h1 className="min-w-0 break-words text-2xl font-bold tracking-tight text-slate-900">{workspace.name}</h1>
          <Badge tone="brand">{workspace.plan.name}</Badge>
          <SubscriptionBadge status={workspace.subscriptionStatus} />
        </div>
        <p className="mt-1 break-all font-mono text-xs text-slate-500">
          {workspace.id}
          {workspace.externalId ? ` · external id ${workspace.externalId}` : ""}
        </p>
      </div>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="Credits remaining"
          value={formatCredits(balance.remaining)}
          hint={balance.held > 0 ? `${formatCredits(balance.held)} more held by reservations` : "spendable now"}
        />
        <Stat
          label="Used this period"
          value={formatCredits(balance.used)}
          hint={balance.unlimited ? "unlimited plan" : `of ${formatCredits(balance.allowance ?? 0)} a month`}
        />
        <Stat
          label="Queued events"
          value={formatCredits(balance.queued.events)}
          hint={balance.queued.events > 0 ? `${formatCredits(balance.queued.credits)} credits due` : "none waiting"}
          tone={balance.queued.events > 0 ? "warning" : "neutral"}
        />
        <Stat
          label="Period"
          value={`${formatUtcMonthDay(balance.period.start)} – ${formatUtcMonthDay(Date.parse(balance.period.end) - 1)}`}
          hint={
            <>
              resets <LocalTime iso={balance.period.end} />
            </>
          }
        />
      </div>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <TitledCard className="lg:col-span-2" title="Plan and subscription">
          <CardBody className="py-2">
            <dl className="divide-y divide-slate-100">
              <Detail term="Plan">
                {workspace.plan.name} · {workspace.billingInterval === "YEAR" ? "yearly" : "monthly"} ·{" "}
                {workspace.plan.monthlyCredits === null ? "unlimited" : `${formatCredits(workspace.plan.monthlyCredits)} credits a month`}
              </Detail>
              <Detail term="Subscription">
                <SubscriptionBadge status={workspace.subscriptionStatus} showNone />
                {workspace.pastDueSince ? (
                  <span className="mt-1 block text-xs text-amber-700">
                    past due since <LocalTime iso={workspace.pastDueSince.toISOString()} />
                  </span>
                ) : null}
              </Detail>
              {workspace.pendingPlan ? (
                <Detail term="Scheduled change">
                  {workspace.pendingPlan.name} from <LocalTime iso={workspace.pendingPlan.at.toISOString()} />
                </Detail>
              ) : null}
              <Detail term="Stripe customer">
                <span className="font-mono text-xs">{workspace.stripeCustomerId ?? "—"}</span>
              </Detail>
              <Detail term="Stripe subscription">
                <span className="font-mono text-xs">{workspace.stripeSubscriptionId ?? "—"}</span>
              </Detail>
              <Detail term="Members">
                {workspace.members.length === 0 ? (
                  <span className="text-slate-500">none (a platform workspace)</span>
                ) : (
                  <ul className="space-y-0.5">
                    {workspace.members.map((m) => (
                      <li key={m.email} className="break-all">
                        {m.email} <span className="text-xs text-slate-500">{m.role === "OWNER" ? "owner" : "member"}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </Detail>
              <Detail term="API keys">{workspace.apiKeys} active</Detail>
              <Detail term="Created">
                <LocalTime iso={workspace.createdAt.toISOString()} />
              </Detail>
            </dl>
          </CardBody>
        </TitledCard>

        <TitledCard
          className="lg:col-span-3"
          title="Grant or adjust credits"
          description="Recorded in the ledger and the audit log with your name and the reason."
        >
          <CardBody>
            <AdjustCreditsForm action={adjustCreditsAction.bind(null, workspace.id)} />
          </CardBody>
        </TitledCard>
      </div>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <div className="min-w-0 lg:col-span-2">
          <CreditBuckets balance={balance} />
        </div>
        <div className="min-w-0 lg:col-span-3">
          <UsageBreakdown breakdown={balance.breakdown} />
        </div>
      </div>

      <TitledCard
        title="Recent ledger entries"
        description={`The newest ${ledger.rows.length} entries; each debit names the price version it was charged at.`}
        action={
          <Link href={`/admin/ledger?workspace=${workspace.id}`} className="text-sm font-semibold text-indigo-700 hover:text-indigo-600">
            All entries →
          </Link>
        }
      >
        <LedgerTable rows={ledger.rows} />
      </TitledCard>
    </div>
  );
}
