import { ButtonLink } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import {
  annualPricing,
  centsPerThousandCredits,
  formatDollarsPerCredit,
  thresholdCredits,
  UPGRADE_THRESHOLD_PERCENT,
  type PlanOffer,
} from "@/lib/pricing/estimate";
import { formatCents, formatCredits } from "@/lib/format";

export type PlanView = PlanOffer & { trialDays: number; seats: number | null };

function perCredit(plan: PlanView): string {
  if (plan.monthlyCredits === null) return "Volume pricing for unlimited use";
  if (plan.priceMonthlyCents === 0) return "$0, capped at the allowance";
  const each = formatDollarsPerCredit(plan.priceMonthlyCents, plan.monthlyCredits);
  const perThousand = centsPerThousandCredits(plan.priceMonthlyCents, plan.monthlyCredits);
  if (perThousand === null || each === null) return "—";
  return `${each} per credit (${formatCents(perThousand)} per 1,000)`;
}

function Feature({ children }: { children: React.ReactNode }) {
  return (
    <li className="flex gap-2">
      <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 h-4 w-4 shrink-0 fill-indigo-600">
        <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-7.5 7.5a1 1 0 0 1-1.4 0L3.3 9.7a1 1 0 1 1 1.4-1.4l3.8 3.8 6.8-6.8a1 1 0 0 1 1.4 0Z" />
      </svg>
      <span>{children}</span>
    </li>
  );
}

/** The plans on sale, cheapest first: price monthly and annually, allowance, price per credit, trial. */
export function PlanCards({ plans }: { plans: PlanView[] }) {
  if (plans.length === 0) {
    return <p className="rounded-xl bg-white p-6 text-sm text-slate-500 ring-1 ring-slate-200">No plans are on sale right now.</p>;
  }
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
      {plans.map((plan) => {
        const annual = annualPricing(plan);
        const free = plan.priceMonthlyCents === 0 && !plan.contactSales;
        const limit = thresholdCredits(plan);
        return (
          <li
            key={plan.id}
            aria-labelledby={`plan-${plan.id}`}
            className="flex flex-col rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 id={`plan-${plan.id}`} className="text-base font-semibold text-slate-900">
                {plan.name}
              </h3>
              {plan.contactSales ? (
                <Badge>Contact sales</Badge>
              ) : plan.trialDays > 0 ? (
                <Badge tone="brand">{plan.trialDays}-day trial</Badge>
              ) : null}
            </div>
            <p className="mt-4 flex items-baseline gap-1.5">
              {plan.contactSales ? <span className="text-sm text-slate-500">from</span> : null}
              <span className="text-3xl font-bold tracking-tight text-slate-900 tabular-nums">{formatCents(plan.priceMonthlyCents)}</span>
              <span className="text-sm text-slate-500">/month</span>
            </p>
            <p className="mt-1 min-h-10 text-sm text-slate-600">
              {annual ? (
                <>
                  or {formatCents(annual.yearlyCents)} a year ({formatCents(annual.monthlyEquivalentCents)}/month)
                  {annual.savingCents > 0 ? (
                    <span className="font-medium text-emerald-700">
                      {" "}
                      · save {formatCents(annual.savingCents)} ({annual.savingPercent}%)
                    </span>
                  ) : null}
                </>
              ) : (
                "Free forever, no card needed"
              )}
            </p>
            <ul className="mt-4 flex-1 space-y-2 border-t border-slate-100 pt-4 text-sm text-slate-700">
              <Feature>
                <span className="font-semibold text-slate-900">
                  {plan.monthlyCredits === null ? "Unlimited credits" : `${formatCredits(plan.monthlyCredits)} credits/month`}
                </span>
              </Feature>
              <Feature>{perCredit(plan)}</Feature>
              <Feature>
                {plan.seats === null ? "Unlimited seats" : `${formatCredits(plan.seats)} seat${plan.seats === 1 ? "" : "s"}`}
              </Feature>
              {plan.trialDays > 0 ? <Feature>{plan.trialDays}-day free trial</Feature> : null}
              {limit !== null ? (
                <Feature>{`Suits up to ${formatCredits(limit)} credits a month (${UPGRADE_THRESHOLD_PERCENT}% of the allowance)`}</Feature>
              ) : null}
            </ul>
            <ButtonLink
              href={plan.contactSales ? `/contact-sales?plan=${encodeURIComponent(plan.id)}&from=pricing` : "/signup"}
              variant={plan.contactSales ? "secondary" : "primary"}
              className="mt-4 w-full"
              aria-label={
                plan.contactSales
                  ? `Contact sales about ${plan.name}`
                  : free
                    ? `Start free on ${plan.name}`
                    : `Get started with ${plan.name}`
              }
            >
              {plan.contactSales ? "Contact sales" : free ? "Start free" : "Get started"}
            </ButtonLink>
          </li>
        );
      })}
    </ul>
  );
}
