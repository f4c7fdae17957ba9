import type { PlanState } from "@/lib/billing/plan-state";
import { allowanceOf, formatCents, formatUtcDay, perInterval } from "@/lib/format";
import { Badge, type BadgeLook } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { KeepPlanButton } from "@/components/billing/keep-plan-button";

const BADGES: Record<PlanState["kind"], BadgeLook> = {
  free: { label: "Free", tone: "neutral" },
  trialing: { label: "Trial", tone: "brand" },
  active: { label: "Active", tone: "success" },
  past_due: { label: "Payment failed", tone: "warning" },
  paused: { label: "Paused", tone: "danger" },
  cancelling: { label: "Cancelling", tone: "warning" },
  scheduled: { label: "Change scheduled", tone: "brand" },
};

const day = (iso: string) => (
  <time dateTime={iso} className="font-semibold text-slate-900">
    {formatUtcDay(iso)}
  </time>
);

/** What the plan state means, in a sentence or two (no route names, no codes). */
function Explanation({ state, canManage }: { state: PlanState; canManage: boolean }) {
  const { plan } = state;
  const fix = canManage ? "Update your card under Manage billing to pay now." : "Ask a workspace owner to update the card.";
  switch (state.kind) {
    case "free":
      return (
        <>
          {allowanceOf(plan)}, no card needed.
          {state.lapsed ? " Your paid plan ended after 30 days unpaid; your data and purchased credits are untouched." : null}
        </>
      );
    case "trialing":
      return (
        <>
          Free trial until {day(state.trialEndsAt)}: nothing is charged before then. Then {formatCents(state.firstCharge.amountCents)}{" "}
          {perInterval(state.interval)} — the first charge,{" "}
          <span className="font-semibold text-slate-900">
            {formatCents(state.firstCharge.amountCents)} on {formatUtcDay(state.firstCharge.at)}
          </span>
          . Cancel before then under Manage billing and you pay nothing.
        </>
      );
    case "active":
      return state.renewsAt ? (
        <>
          {allowanceOf(plan)}. Renews on {day(state.renewsAt)}
          {state.nextCharge ? <> for {formatCents(state.nextCharge.amountCents)}</> : null}.
        </>
      ) : (
        <>{allowanceOf(plan)}, set up by your provider: nothing is charged to a card here.</>
      );
    case "past_due":
      return (
        <>
          Your last payment failed on {day(state.since)}. Everything keeps working until {day(state.pausesAt)}; then the plan’s credits are
          frozen, and unpaid, the workspace returns to Free on {day(state.freeAt)}. {fix}
        </>
      );
    case "paused":
      return (
        <>
          The last payment failed, so the plan’s allowance is frozen; bonus and purchased credits still work and your data is untouched.
          Unpaid, the workspace returns to Free on {day(state.freeAt)}. {fix}
        </>
      );
    case "cancelling":
      return state.trial ? (
        <>
          Your trial ends on {day(state.endsAt)} and nothing is charged; then the workspace is on Free. You keep {plan.name}’s credits until
          then.
        </>
      ) : (
        <>
          {plan.name} ends on {day(state.endsAt)}; nothing more is charged, and then the workspace is on Free. You keep its credits until
          then.
        </>
      );
    case "scheduled":
      return (
        <>
          Changes to <span className="font-semibold text-slate-900">{state.to.name}</span> on {day(state.at)}: {allowanceOf(state.to)} for{" "}
          {formatCents(state.to.priceCents)} {perInterval(state.interval)} from then. You keep {plan.name} and its credits until then.
        </>
      );
  }
}

/**
 * "Your plan": the plan, its state and what happens next, in one place (lib/billing/plan-state.ts).
 * A scheduled downgrade or cancellation can be undone here until it takes effect.
 */
export function PlanStatus({ state, canManage }: { state: PlanState; canManage: boolean }) {
  const badge = BADGES[state.kind];
  const undoable = canManage && state.subscribed && (state.kind === "cancelling" || state.kind === "scheduled");
  const urgent = state.kind === "past_due" || state.kind === "paused";
  return (
    <Card aria-labelledby="plan-status-heading" className={urgent ? "ring-amber-300" : undefined}>
      <div className="flex flex-wrap items-start justify-between gap-4 px-5 py-4 sm:px-6">
        <div className="min-w-0 flex-1 basis-72">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id="plan-status-heading" aria-label={`Plan: ${state.plan.name}`} className="text-base font-semibold text-slate-900">
              Your plan: {state.plan.name}
            </h2>
            <Badge tone={badge.tone} aria-label={`Plan status: ${badge.label}`}>
              {badge.label}
            </Badge>
          </div>
          <p role={urgent ? "alert" : "status"} className="mt-1 text-sm text-slate-600">
            <Explanation state={state} canManage={canManage} />
          </p>
        </div>
        {undoable ? <KeepPlanButton planName={state.plan.name} /> : null}
      </div>
    </Card>
  );
}
