import { requireAdmin } from "@/lib/auth/session";
import { packTerms, planTerms } from "@/lib/billing/views";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { formatCredits, formatCents } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, TitledCard } from "@/components/ui/card";
import { PageHeader } from "@/components/admin/page-header";
import { PackForm, PlanForm, PlanLimitsForm } from "@/components/admin/catalog-forms";
import { entitlementLines, listCatalog } from "@/lib/admin/catalog";
import { planEntitlements } from "@/lib/teams/limits";
import { savePackAction, updatePlanAction, updatePlanLimitsAction } from "./actions";

export const generateMetadata = adminMetadata("Plans and packs");

export default async function AdminCatalogPage() {
  await requireAdmin();
  const [plans, packs] = await listCatalog();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Plans and packs"
        description="What customers can buy. Changes apply to new purchases at once and to allowances from each workspace's next period; nothing sold is deleted — deactivate instead. Every save is in the audit log."
      />
      <section aria-labelledby="plans-heading" className="space-y-4">
        <h2 id="plans-heading" className="text-lg font-semibold text-slate-900">
          Plans
        </h2>
        {plans.map((p) => (
          <Card key={p.id} aria-labelledby={`plan-${p.id}-heading`}>
            <CardHeader
              id={`plan-${p.id}-heading`}
              title={p.name}
              description={`${p.monthlyCredits === null ? "Unlimited credits" : `${formatCredits(p.monthlyCredits)} credits a month`} · ${formatCents(p.priceMonthlyCents)} a month · ${p.seats === null ? "unlimited seats" : `${p.seats} seat${p.seats === 1 ? "" : "s"}`}`}
              action={p.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}
            />
            <CardBody>
              <PlanForm plan={{ ...planTerms(p), active: p.active }} action={updatePlanAction.bind(null, p.id)} />
              <div className="mt-6 border-t border-slate-100 pt-6">
                <PlanLimitsForm
                  plan={{ id: p.id, name: p.name, seats: p.seats, entitlements: entitlementLines(planEntitlements(p.entitlements)) }}
                  action={updatePlanLimitsAction.bind(null, p.id)}
                />
              </div>
            </CardBody>
          </Card>
        ))}
      </section>
      <section aria-labelledby="packs-heading" className="space-y-4">
        <h2 id="packs-heading" className="text-lg font-semibold text-slate-900">
          Credit packs
        </h2>
        {packs.map((p) => (
          <Card key={p.id} aria-labelledby={`pack-${p.id}-heading`}>
            <CardHeader
              id={`pack-${p.id}-heading`}
              title={p.name}
              description={`${p.id} · ${formatCredits(p.credits)} credits for ${formatCents(p.priceCents)}`}
              action={p.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}
            />
            <CardBody>
              <PackForm pack={{ ...packTerms(p), active: p.active }} action={savePackAction.bind(null, false)} />
            </CardBody>
          </Card>
        ))}
        <TitledCard title="New credit pack" description="Packs are sold at checkout from Settings → Billing; the id is permanent.">
          <CardBody>
            <PackForm pack={null} action={savePackAction.bind(null, true)} />
          </CardBody>
        </TitledCard>
      </section>
    </div>
  );
}
