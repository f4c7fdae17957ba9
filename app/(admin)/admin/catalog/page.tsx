import type { ReactNode } from "react";
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

/** A part of the catalog (plans, packs) under its heading; `id` names the heading `${id}-heading`. */
function CatalogSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-4">
      <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** One plan or pack: its name, terms and whether it is on sale, over its forms. */
function CatalogItem({
  id,
  title,
  description,
  active,
  children,
}: {
  id: string;
  title: string;
  description: string;
  active: boolean;
  children: ReactNode;
}) {
  return (
    <Card aria-labelledby={`${id}-heading`}>
      <CardHeader
        id={`${id}-heading`}
        title={title}
        description={description}
        action={active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}
      />
      <CardBody>{children}</CardBody>
    </Card>
  );
}

export default async function AdminCatalogPage() {
  await requireAdmin();
  const [plans, packs] = await listCatalog();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Plans and packs"
        description="What customers can buy. Changes apply to new purchases at once and to allowances from each workspace's next period; nothing sold is deleted — deactivate instead. Every save is in the audit log."
      />
      <CatalogSection id="plans" title="Plans">
        {plans.map((p) => (
          <CatalogItem
            key={p.id}
            id={`plan-${p.id}`}
            title={p.name}
            active={p.active}
            description={`${p.monthlyCredits === null ? "Unlimited credits" : `${formatCredits(p.monthlyCredits)} credits a month`} · ${formatCents(p.priceMonthlyCents)} a month · ${p.seats === null ? "unlimited seats" : `${p.seats} seat${p.seats === 1 ? "" : "s"}`}`}
          >
            <PlanForm plan={{ ...planTerms(p), active: p.active }} action={updatePlanAction.bind(null, p.id)} />
            <div className="mt-6 border-t border-slate-100 pt-6">
              <PlanLimitsForm
                plan={{ id: p.id, name: p.name, seats: p.seats, entitlements: entitlementLines(planEntitlements(p.entitlements)) }}
                action={updatePlanLimitsAction.bind(null, p.id)}
              />
            </div>
          </CatalogItem>
        ))}
      </CatalogSection>
      <CatalogSection id="packs" title="Credit packs">
        {packs.map((p) => (
          <CatalogItem
            key={p.id}
            id={`pack-${p.id}`}
            title={p.name}
            active={p.active}
            description={`${p.id} · ${formatCredits(p.credits)} credits for ${formatCents(p.priceCents)}`}
          >
            <PackForm pack={{ ...packTerms(p), active: p.active }} action={savePackAction.bind(null, false)} />
          </CatalogItem>
        ))}
        <TitledCard title="New credit pack" description="Packs are sold at checkout from Settings → Billing; the id is permanent.">
          <CardBody>
            <PackForm pack={null} action={savePackAction.bind(null, true)} />
          </CardBody>
        </TitledCard>
      </CatalogSection>
    </div>
  );
}
