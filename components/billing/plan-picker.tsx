"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { PlanState } from "@/lib/billing/plan-state";
import type { PlanChangePreview } from "@/lib/billing/stripe/subscriptions";
import dynamic from "next/dynamic";
import { requestJson } from "@/components/billing/request-json";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { CardBody, TitledCard } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/field";
import { useStripeRedirect } from "@/components/billing/use-stripe-redirect";
import { allowanceOf, formatCents, formatCredits, formatUtcDay } from "@/lib/format";
import { formatDollarsPerCredit } from "@/lib/pricing/estimate";
import { useBillingApi } from "@/components/billing/billing-api";
import { StripeWindowLink } from "@/components/billing/stripe-window-link";

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
  /** The plan state (lib/billing/plan-state.ts): the current plan, interval, subscription and trial. */
  state: PlanState;
  canBuy: boolean;
};

const PlanChangeDialog = dynamic(() => import("@/components/billing/plan-change-dialog").then((m) => m.PlanChangeDialog), { ssr: false });

/** What choosing `plan` does to the credits, in one line. */
function consequence(current: PlanView, plan: PlanView, subscribed: boolean): string {
  const up = (plan.monthlyCredits ?? Number.POSITIVE_INFINITY) > (current.monthlyCredits ?? Number.POSITIVE_INFINITY);
  if (up) {
    const extra = plan.monthlyCredits !== null && current.monthlyCredits !== null ? plan.monthlyCredits - current.monthlyCredits : null;
    return extra ? `+${formatCredits(extra)} credits this month, at once; then ${allowanceOf(plan)}.` : `${allowanceOf(plan)} from now.`;
  }
  if (plan.priceMonthlyCents === 0) return subscribed ? `After the period ends: ${allowanceOf(plan)}.` : "";
  return `From the next period: ${allowanceOf(plan)}. You keep this month's credits.`;
}

export type Confirming = { plan: PlanView; preview: PlanChangePreview | null; error: string | null; submitting: boolean };

/**
 * Plan buttons: without a subscription, Stripe Checkout (with the trial when this workspace has not had
 * one); with one, a confirmation that states what is charged today and what changes when (Stripe's
 * preview), then an immediate upgrade or a downgrade at the period end.
 */
export function PlanPicker({ plans, state, canBuy }: Props) {
  const subscribed = state.subscribed;
  const [chosenInterval, setInterval] = useState(state.interval);
  // A subscription keeps its billing interval here (switching it is a separate change, in Manage billing).
  const interval = subscribed ? state.interval : chosenInterval;
  const checkout = useStripeRedirect();
  const router = useRouter();
  const queries = useQueryClient();
  const api = useBillingApi();
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  // Once shown, the dialog stays mounted (closed) so closing it hands focus back like a <dialog> does.
  const [dialogUsed, setDialogUsed] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const current = plans.find((p) => p.id === state.plan.id);
  const rank = (p: PlanView) => p.monthlyCredits ?? Number.POSITIVE_INFINITY;
  const blocked = state.kind === "past_due" || state.kind === "paused";
  const scheduledTo = state.kind === "scheduled" ? state.to.id : null;

  async function review(plan: PlanView) {
    setDone(null);
    setDialogUsed(true);
    setConfirming({ plan, preview: null, error: null, submitting: false });
    const outcome = await requestJson<PlanChangePreview>(api.routes.previewPlanChange, {
      body: { plan: plan.id, interval },
      headers: api.headers,
    });
    setConfirming((c) => (c?.plan.id !== plan.id ? c : outcome.ok ? { ...c, preview: outcome.data } : { ...c, error: outcome.message }));
  }

  async function confirm() {
    if (!confirming?.preview) return;
    const { plan, preview } = confirming;
    setConfirming({ ...confirming, submitting: true, error: null });
    const outcome = await requestJson(api.routes.changePlan, {
      body: { plan: plan.id, interval, proration_date: preview.prorationDate },
      headers: api.headers,
    });
    if (!outcome.ok) return setConfirming({ ...confirming, submitting: false, error: outcome.message });
    setConfirming(null);
    setDone(
      preview.effective === "now"
        ? `You’re on ${plan.name} now.${preview.dueNowCents > 0 ? ` ${formatCents(preview.dueNowCents)} was charged.` : ""}`
        : `${plan.name} starts on ${formatUtcDay(preview.effectiveAt)}. You can undo this until then with “Keep ${preview.from.name}”.`,
    );
    await queries.invalidateQueries();
    if (api.refresh) api.refresh();
    else router.refresh();
  }

  const busy = checkout.pending !== null || confirming !== null;
  return (
    <TitledCard
      id="plans-heading"
      anchor="plans"
      title="Plans"
      description="Upgrades take effect at once and add the difference to this month's allowance. Downgrades apply from the next period."
      action={
        subscribed ? (
          <p className="text-sm text-slate-500">Billed {interval === "year" ? "annually" : "monthly"}</p>
        ) : (
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
        )
      }
    >
      <CardBody>
        {done ? (
          <p role="status" className="mb-4 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
            {done}
          </p>
        ) : null}
        {blocked && canBuy ? (
          <p className="mb-4 text-sm text-amber-800">Pay the open invoice under Manage billing before changing plans.</p>
        ) : null}
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
          {plans.map((plan) => {
            const isCurrent = plan.id === state.plan.id;
            const price = interval === "month" ? plan.priceMonthlyCents : plan.priceYearlyCents;
            const higher = current ? rank(plan) > rank(current) : true;
            const trial = state.trialEligible && plan.trialDays > 0;
            return (
              <li
                key={plan.id}
                className={`flex flex-col rounded-lg p-4 ring-1 ring-inset ${isCurrent ? "ring-2 ring-indigo-500" : "ring-slate-200"}`}
              >
                <div className="flex items-center justify-between gap-2">
                  <h3 className="font-semibold text-slate-900">{plan.name}</h3>
                  {isCurrent ? <Badge tone="brand">{state.kind === "trialing" ? "Trial" : "Current"}</Badge> : null}
                  {plan.id === scheduledTo && state.kind === "scheduled" ? (
                    <Badge tone="neutral">From {formatUtcDay(state.at)}</Badge>
                  ) : null}
                </div>
                <p className="mt-1 text-sm text-slate-600">
                  {plan.monthlyCredits === null ? "Unlimited credits" : `${formatCredits(plan.monthlyCredits)} credits / month`}
                </p>
                <p className="mt-2 text-lg font-semibold tabular-nums text-slate-900">
                  {plan.contactSales ? `from ${formatCents(plan.priceMonthlyCents)}` : price === 0 ? "$0" : formatCents(price)}
                  <span className="text-sm font-normal text-slate-500">
                    {" "}
                    / {interval === "month" || plan.contactSales ? "month" : "year"}
                  </span>
                </p>
                {plan.monthlyCredits && price > 0 ? (
                  <p className="text-xs text-slate-500">
                    {formatDollarsPerCredit(price, plan.monthlyCredits * (interval === "year" ? 12 : 1))} per credit
                  </p>
                ) : null}
                {canBuy && !isCurrent && current && !plan.contactSales && plan.id !== scheduledTo && (subscribed || higher) ? (
                  <p className="mt-2 text-xs text-slate-600">{consequence(current, plan, subscribed)}</p>
                ) : null}
                <div className="mt-auto pt-4">
                  {!canBuy || isCurrent || plan.id === scheduledTo ? null : plan.contactSales ? (
                    <ButtonLink
                      href={`/contact-sales?plan=${encodeURIComponent(plan.id)}&from=billing`}
                      target={api.newWindow ? "_blank" : undefined}
                      variant="secondary"
                      className="w-full"
                      aria-label={`Contact sales about ${plan.name}`}
                    >
                      Contact sales
                    </ButtonLink>
                  ) : plan.priceMonthlyCents === 0 ? (
                    subscribed ? (
                      <p className="text-xs text-slate-500">Cancel under Manage billing to return to Free.</p>
                    ) : null
                  ) : subscribed ? (
                    <Button
                      className="w-full whitespace-normal"
                      variant={higher ? "primary" : "secondary"}
                      disabled={busy || blocked}
                      onClick={() => review(plan)}
                    >
                      {higher ? `Upgrade to ${plan.name}` : `Switch to ${plan.name}`}
                    </Button>
                  ) : higher ? (
                    <Button
                      className="w-full whitespace-normal"
                      disabled={busy || blocked}
                      aria-label={trial ? `Start ${plan.trialDays}-day trial of ${plan.name}` : undefined}
                      onClick={() => checkout.go(plan.id, api.routes.checkout, { plan: plan.id, interval })}
                    >
                      {checkout.pending === plan.id
                        ? "Opening checkout…"
                        : trial
                          ? `Start ${plan.trialDays}-day trial`
                          : `Upgrade to ${plan.name}`}
                    </Button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
        {checkout.error ? <FormAlert className="mt-4">{checkout.error}</FormAlert> : null}
        <StripeWindowLink url={checkout.blocked} className="mt-4" />
      </CardBody>
      {/* The confirmation's code loads the first time a plan is reviewed, not with the page. */}
      {confirming || dialogUsed ? (
        <PlanChangeDialog
          confirming={confirming}
          onClose={() => setConfirming((c) => (c?.submitting ? c : null))}
          onCancel={() => setConfirming(null)}
          onConfirm={confirm}
        />
      ) : null}
    </TitledCard>
  );
}
