"use client";

import type { ComponentProps } from "react";
import { NumberField, TextField, useFieldError } from "@/components/ui/form";
import { AdminForm } from "@/components/admin/admin-form";
import type { AdminAction } from "@/components/admin/types";
import type { PlanView } from "@/components/billing/plan-picker";

/** A price in dollars, shown from its cents. */
function DollarsField({ cents, ...props }: ComponentProps<typeof TextField> & { cents: number | undefined }) {
  return <TextField inputMode="decimal" defaultValue={cents === undefined ? undefined : (cents / 100).toFixed(2)} {...props} />;
}

function Active({ id, defaultChecked, note }: { id: string; defaultChecked: boolean; note: string }) {
  const error = useFieldError("active");
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

function Reason({ id }: { id: string }) {
  return <TextField id={id} name="reason" label="Reason (audit log)" placeholder="Why this change" className="sm:col-span-2" />;
}

export type PlanValues = Omit<PlanView, "contactSales"> & { active: boolean };

export function PlanForm({ plan, action }: { plan: PlanValues; action: AdminAction }) {
  const id = (f: string) => `plan-${plan.id}-${f}`;
  return (
    <AdminForm action={action} label={`Edit the ${plan.name} plan`} submit={`Save ${plan.name}`}>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField id={id("name")} name="name" label="Name" defaultValue={plan.name} />
        <NumberField
          id={id("credits")}
          name="monthlyCredits"
          label="Credits a month"
          placeholder="unlimited"
          defaultValue={plan.monthlyCredits ?? ""}
        />
        <DollarsField id={id("monthly")} name="priceMonthly" label="Monthly price ($)" cents={plan.priceMonthlyCents} />
        <DollarsField id={id("yearly")} name="priceYearly" label="Annual price ($)" cents={plan.priceYearlyCents} />
        <NumberField id={id("trial")} name="trialDays" label="Trial days" defaultValue={plan.trialDays} />
        <Active id={id("active")} defaultChecked={plan.active} note="Inactive plans are not offered; workspaces on them keep them." />
        <Reason id={id("reason")} />
      </div>
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
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {pack ? (
          <input type="hidden" name="id" value={pack.id} />
        ) : (
          <TextField id={id("id")} name="id" label="Pack id" placeholder="growth_5000" />
        )}
        <TextField id={id("name")} name="name" label="Name" defaultValue={pack?.name} />
        <NumberField id={id("credits")} name="credits" label="Credits" defaultValue={pack?.credits} />
        <DollarsField id={id("price")} name="price" label="Price ($)" cents={pack?.priceCents} />
        <NumberField
          id={id("validity")}
          name="validityDays"
          label="Valid for (days)"
          placeholder="never expires"
          defaultValue={pack?.validityDays ?? ""}
        />
        <Active
          id={id("active")}
          defaultChecked={pack?.active ?? true}
          note="Inactive packs are not sold; credits bought keep their terms."
        />
        <Reason id={id("reason")} />
      </div>
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
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <NumberField id={id("seats")} name="seats" label="Seats" placeholder="unlimited" defaultValue={plan.seats ?? ""} />
        <Entitlements id={id("entitlements")} value={plan.entitlements} />
        <Reason id={id("reason")} />
      </div>
    </AdminForm>
  );
}

function Entitlements({ id, value }: { id: string; value: string }) {
  const error = useFieldError("entitlements");
  return (
    <div className="sm:col-span-1 lg:col-span-3">
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        Entitlements
      </label>
      <textarea
        id={id}
        name="entitlements"
        rows={Math.max(2, value.split("\n").length)}
        defaultValue={value}
        placeholder="roster.artists = 5"
        aria-describedby={`${id}-note`}
        aria-invalid={error ? true : undefined}
        className={`mt-1.5 block w-full rounded-md border-0 px-3 py-2 font-mono text-sm text-slate-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:ring-inset ${error ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600"}`}
      />
      <p id={`${id}-note`} className={`mt-1 text-xs ${error ? "text-red-600" : "text-slate-500"}`}>
        {error ?? "One per line: key = number, or key = unlimited. The AI product asks for them at /api/v1/entitlements."}
      </p>
    </div>
  );
}
