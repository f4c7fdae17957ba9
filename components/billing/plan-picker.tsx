"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/field";
import { useStripeRedirect } from "@/components/billing/use-stripe-redirect";
import { formatCents, formatCredits } from "@/lib/format";
import { formatDollarsPerCredit } from "@/lib/pricing/estimate";
import { useWorkspaceHeaders } from "@/components/layout/workspace-scope";

export type PlanView = {
  id: string;
  name: string;
  monthlyCredits: number | null;
  priceMonthlyCents: number;
  priceYearlyCents: number;
  trialDays: number;
  contactSales: boolean;
};

type Props = {
  plans: PlanView[];
  currentPlanId: string;
  hasSubscription: boolean;
  trialEligible: boolean;
  interval: "month" | "year";
  canBuy: boolean;
};

const allowanceOf = (p: PlanView) => (p.monthlyCredits === null ? "unlimited credits" : `${formatCredits(p.monthlyCredits)} credits a month`);

/** What choosing `plan` does to the credits, in one line. */
function consequence(current: PlanView, plan: PlanView, hasSubscription: boolean): string {
  const up = (plan.monthlyCredits ?? Number.POSITIVE_INFINITY) > (current.monthlyCredits ?? Number.POSITIVE_INFINITY);
  if (up) {
    const extra = plan.monthlyCredits !== null && current.monthlyCredits !== null ? plan.monthlyCredits - current.monthlyCredits : null;
    return extra ? `+${formatCredits(extra)} credits this month, at once; then ${allowanceOf(plan)}.` : `${allowanceOf(plan)} from now.`;
  }
  if (plan.priceMonthlyCents === 0) return hasSubscription ? `After the period ends: ${allowanceOf(plan)}.` : "";
  return `From the next period: ${allowanceOf(plan)}. You keep this month's credits.`;
}

/**
 * Plan buttons: without a subscription, Stripe Checkout (with the trial when this workspace has not had
 * one); with one, an immediate upgrade or a downgrade at the period end.
 */
export function PlanPicker({ plans, currentPlanId, hasSubscription, trialEligible, interval: initialInterval, canBuy }: Props) {
  const [interval, setInterval] = useState(initialInterval);
  const checkout = useStripeRedirect();
  const router = useRouter();
  const workspace = useWorkspaceHeaders();
  const [change, setChange] = useState<{ pending: string | null; error: string | null }>({ pending: null, error: null });
  const current = plans.find((p) => p.id === currentPlanId);
  const rank = (p: PlanView) => p.monthlyCredits ?? Number.POSITIVE_INFINITY;

  async function changePlan(plan: PlanView) {
    setChange({ pending: plan.id, error: null });
    const res = await fetch("/api/stripe/change-plan", { method: "POST", headers: { "content-type": "application/json", ...workspace }, body: JSON.stringify({ plan: plan.id, interval }) });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      setChange({ pending: null, error: body.error?.message ?? `The plan could not be changed (${res.status}).` });
      return;
    }
    setChange({ pending: null, error: null });
    router.refresh();
  }

  const busy = checkout.pending !== null || change.pending !== null;
  const error = checkout.error ?? change.error;
  return (
    <Card id="plans" aria-labelledby="plans-heading" className="scroll-mt-6">
      <CardHeader
        id="plans-heading"
        title="Plans"
        description="Upgrades take effect at once and add the difference to this month's allowance. Downgrades apply from the next period."
        action={
          <div role="radiogroup" aria-label="Billing interval" className="inline-flex rounded-md bg-slate-100 p-0.5 text-sm">
            {(["month", "year"] as const).map((value) => (
              <button
                key={value}
                role="radio"
                aria-checked={interval === value}
                onClick={() => setInterval(value)}
                className={`rounded px-3 py-1 font-medium ${interval === value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600"}`}
              >
                {value === "month" ? "Monthly" : "Annual"}
              </button>
            ))}
          </div>
        }
      />
      <CardBody>
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
          {plans.map((plan) => {
            const isCurrent = plan.id === currentPlanId;
            const price = interval === "month" ? plan.priceMonthlyCents : plan.priceYearlyCents;
            const higher = current ? rank(plan) > rank(current) : true;
            return (
              <li key={plan.id} className={`flex flex-col rounded-lg p-4 ring-1 ring-inset ${isCurrent ? "ring-2 ring-indigo-500" : "ring-slate-200"}`}>
                <div className="flex items-center justify-between gap-2">
                  <h3 className="font-semibold text-slate-900">{plan.name}</h3>
                  {isCurrent ? <Badge tone="brand">Current</Badge> : null}
                </div>
                <p className="mt-1 text-sm text-slate-600">{plan.monthlyCredits === null ? "Unlimited credits" : `${formatCredits(plan.monthlyCredits)} credits / month`}</p>
                <p className="mt-2 text-lg font-semibold tabular-nums text-slate-900">
                  {plan.contactSales ? `from ${formatCents(plan.priceMonthlyCents)}` : price === 0 ? "$0" : formatCents(price)}
                  <span className="text-sm font-normal text-slate-500"> / {interval === "month" || plan.contactSales ? "month" : "year"}</span>
                </p>
                {plan.monthlyCredits && price > 0 ? (
                  <p className="text-xs text-slate-500">
                    {formatDollarsPerCredit(price, plan.monthlyCredits * (interval === "year" ? 12 : 1))} per credit
                  </p>
                ) : null}
                {canBuy && !isCurrent && current && !plan.contactSales && (hasSubscription || higher) ? <p className="mt-2 text-xs text-slate-600">{consequence(current, plan, hasSubscription)}</p> : null}
                <div className="mt-auto pt-4">
                  {!canBuy || isCurrent ? null : plan.contactSales ? (
                    <ButtonLink href={`/contact-sales?plan=${encodeURIComponent(plan.id)}&from=billing`} variant="secondary" className="w-full" aria-label={`Contact sales about ${plan.name}`}>
                      Contact sales
                    </ButtonLink>
                  ) : plan.priceMonthlyCents === 0 ? (
                    hasSubscription ? <p className="text-xs text-slate-500">Cancel under Manage billing to return to Free.</p> : null
                  ) : hasSubscription ? (
                    <Button className="w-full whitespace-normal" variant={higher ? "primary" : "secondary"} disabled={busy} onClick={() => changePlan(plan)}>
                      {change.pending === plan.id ? "Changing…" : higher ? `Upgrade to ${plan.name}` : `Switch to ${plan.name}`}
                    </Button>
                  ) : higher ? (
                    <Button
                      className="w-full whitespace-normal"
                      disabled={busy}
                      aria-label={trialEligible && plan.trialDays > 0 ? `Start ${plan.trialDays}-day trial of ${plan.name}` : undefined}
                      onClick={() => checkout.go(plan.id, "/api/stripe/create-checkout", { plan: plan.id, interval })}
                    >
                      {checkout.pending === plan.id
                        ? "Opening checkout…"
                        : trialEligible && plan.trialDays > 0
                          ? `Start ${plan.trialDays}-day trial`
                          : `Upgrade to ${plan.name}`}
                    </Button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
        {error ? <FormAlert className="mt-4">{error}</FormAlert> : null}
      </CardBody>
    </Card>
  );
}
