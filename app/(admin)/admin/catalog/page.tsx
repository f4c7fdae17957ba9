import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/auth/session";
import { packTerms, planTerms } from "@/lib/billing/views";
import { adminMetadata } from "@/app/(admin)/admin/metadata";
import { formatCredits, formatCents } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, TitledCard } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
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

/**
 * One plan or pack (`kind`): its name, `terms` and whether it is on sale, over its forms. The card is
 * named by its heading, `${kind}-${item.id}-heading`.
 */
function CatalogItem({
  kind,
  item,
  terms,
  children,
}: {
  kind: "plan" | "pack";
  item: { id: string; name: string; active: boolean };
  terms: string;
  children: ReactNode;
}) {
  const heading = `${kind}-${item.id}-heading`;
  return (
    <Card aria-labelledby={heading}>
      <CardHeader
        id={heading}
        title={item.name}
        description={terms}
        action={item.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}
      />
      <CardBody>{children}</CardBody>
    </Card>
  );
}

/** A plan's terms in a line: its credits, price and seats. */
function planLine(p: { monthlyCredits: number | null; priceMonthlyCents: number; seats: number | null }): string {
  const credits = p.monthlyCredits === null ? "Unlimited credits" : `${formatCredits(p.monthlyCredits)} credits a month`;
  const seats = p.seats === null ? "unlimited seats" : `${p.seats} seat${p.seats === 1 ? "" : "s"}`;
  return `${credits} · ${formatCents(p.priceMonthlyCents)} a month · ${seats}`;
}

/** A pack's terms in a line: its id, credits and price. */
const packLine = (p: { id: string; credits: number; priceCents: number }) =>
  `${p.id} · ${formatCredits(p.credits)} credits for ${formatCents(p.priceCents)}`;

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
          <CatalogItem key={p.id} kind="plan" item={p} terms={planLine(p)}>
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
          <CatalogItem key={p.id} kind="pack" item={p} terms={packLine(p)}>
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
