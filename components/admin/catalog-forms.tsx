"use client";

import { Field } from "@/components/ui/field";
import { AdminForm } from "@/components/admin/admin-form";
import type { AdminAction } from "@/components/admin/types";

const money = (cents: number) => (cents / 100).toFixed(2);

function Active({ id, defaultChecked, error, note }: { id: string; defaultChecked: boolean; error?: string; note: string }) {
  return (
    <div>
      <label className="flex items-center gap-2 text-sm font-medium text-slate-900">
        <input
          id={id}
          name="active"
          type="checkbox"
          defaultChecked={defaultChecked}
          className="h-4 w-4 rounded border-slate-300 text-indigo-600"
          aria-describedby={`${id}-note`}
        />
        Active
      </label>
      <p id={`${id}-note`} className={`mt-1 text-xs ${error ? "text-red-600" : "text-slate-500"}`}>
        {error ?? note}
      </p>
    </div>
  );
}

function Reason({ id, error }: { id: string; error?: string }) {
  return <Field id={id} name="reason" label="Reason (audit log)" placeholder="Why this change" error={error} className="sm:col-span-2" />;
}

export type PlanValues = {
  id: string;
  name: string;
  monthlyCredits: number | null;
  priceMonthlyCents: number;
  priceYearlyCents: number;
  trialDays: number;
  active: boolean;
};

export function PlanForm({ plan, action }: { plan: PlanValues; action: AdminAction }) {
  const id = (f: string) => `plan-${plan.id}-${f}`;
  return (
    <AdminForm action={action} label={`Edit the ${plan.name} plan`} submit={`Save ${plan.name}`}>
      {(e) => (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field id={id("name")} name="name" label="Name" defaultValue={plan.name} error={e.name} />
          <Field
            id={id("credits")}
            name="monthlyCredits"
            label="Credits a month"
            inputMode="numeric"
            placeholder="unlimited"
            defaultValue={plan.monthlyCredits ?? ""}
            error={e.monthlyCredits}
          />
          <Field
            id={id("monthly")}
            name="priceMonthly"
            label="Monthly price ($)"
            inputMode="decimal"
            defaultValue={money(plan.priceMonthlyCents)}
            error={e.priceMonthly}
          />
          <Field
            id={id("yearly")}
            name="priceYearly"
            label="Annual price ($)"
            inputMode="decimal"
            defaultValue={money(plan.priceYearlyCents)}
            error={e.priceYearly}
          />
          <Field
            id={id("trial")}
            name="trialDays"
            label="Trial days"
            inputMode="numeric"
            defaultValue={plan.trialDays}
            error={e.trialDays}
          />
          <Active
            id={id("active")}
            defaultChecked={plan.active}
            error={e.active}
            note="Inactive plans are not offered; workspaces on them keep them."
          />
          <Reason id={id("reason")} error={e.reason} />
        </div>
      )}
    </AdminForm>
  );
}

export type PackValues = { id: string; name: string; credits: number; priceCents: number; validityDays: number | null; active: boolean };

export function PackForm({ pack, action }: { pack: PackValues | null; action: AdminAction }) {
  const id = (f: string) => `pack-${pack?.id ?? "new"}-${f}`;
  return (
    <AdminForm
      action={action}
      label={pack ? `Edit the ${pack.name} pack` : "New credit pack"}
      submit={pack ? `Save ${pack.name}` : "Create pack"}
      resetOnSuccess={!pack}
    >
      {(e) => (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {pack ? (
            <input type="hidden" name="id" value={pack.id} />
          ) : (
            <Field id={id("id")} name="id" label="Pack id" placeholder="growth_5000" error={e.id} />
          )}
          <Field id={id("name")} name="name" label="Name" defaultValue={pack?.name} error={e.name} />
          <Field id={id("credits")} name="credits" label="Credits" inputMode="numeric" defaultValue={pack?.credits} error={e.credits} />
          <Field
            id={id("price")}
            name="price"
            label="Price ($)"
            inputMode="decimal"
            defaultValue={pack ? money(pack.priceCents) : undefined}
            error={e.price}
          />
          <Field
            id={id("validity")}
            name="validityDays"
            label="Valid for (days)"
            inputMode="numeric"
            placeholder="never expires"
            defaultValue={pack?.validityDays ?? ""}
            error={e.validityDays}
          />
          <Active
            id={id("active")}
            defaultChecked={pack?.active ?? true}
            error={e.active}
            note="Inactive packs are not sold; credits bought keep their terms."
          />
          <Reason id={id("reason")} error={e.reason} />
        </div>
      )}
    </AdminForm>
  );
}

/** A plan's limits beyond credits: seats and named entitlements (one `key = number | unlimited` per line). */
export function PlanLimitsForm({
  plan,
  action,
}: {
  plan: { id: string; name: string; seats: number | null; entitlements: string };
  action: AdminAction;
}) {
  const id = (f: string) => `limits-${plan.id}-${f}`;
  return (
    <AdminForm action={action} label={`Limits of the ${plan.name} plan`} submit={`Save ${plan.name} limits`}>
      {(e) => (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field
            id={id("seats")}
            name="seats"
            label="Seats"
            inputMode="numeric"
            placeholder="unlimited"
            defaultValue={plan.seats ?? ""}
            error={e.seats}
          />
          <div className="sm:col-span-1 lg:col-span-3">
            <label htmlFor={id("entitlements")} className="block text-sm font-medium text-slate-900">
              Entitlements
            </label>
            <textarea
              id={id("entitlements")}
              name="entitlements"
              rows={Math.max(2, plan.entitlements.split("\n").length)}
              defaultValue={plan.entitlements}
              placeholder="roster.artists = 5"
              aria-describedby={id("entitlements-note")}
              aria-invalid={e.entitlements ? true : undefined}
              className={`mt-1.5 block w-full rounded-md border-0 px-3 py-2 font-mono text-sm text-slate-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:ring-inset ${e.entitlements ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600"}`}
            />
            <p id={id("entitlements-note")} className={`mt-1 text-xs ${e.entitlements ? "text-red-600" : "text-slate-500"}`}>
              {e.entitlements ?? "One per line: key = number, or key = unlimited. The AI product asks for them at /api/v1/entitlements."}
            </p>
          </div>
          <Reason id={id("reason")} error={e.reason} />
        </div>
      )}
    </AdminForm>
  );
}
