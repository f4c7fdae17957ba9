"use client";

import { useId, useMemo, useState, type ChangeEvent } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { CardBody, TitledCard } from "@/components/ui/card";
import { byCategoryThenName, type Category } from "@/lib/pricing/categories";
import { USAGE_PROFILES } from "@/lib/pricing/profiles";
import {
  annualPricing,
  compareWithUsualPlan,
  estimateLines,
  estimateMonthlyCredits,
  formatPermille,
  MAX_MONTHLY_COUNT,
  parseCount,
  recommendPlan,
  UPGRADE_THRESHOLD_PERCENT,
  type PackOffer,
  type PlanOffer,
  type PlanOption,
} from "@/lib/pricing/estimate";
import { formatCents, formatCredits } from "@/lib/format";

export type EstimatorAction = { actionKey: string; name: string; category: Category; credits: number };

type Input = { value: string; badInput: boolean };
const CUSTOM = "custom";
const DEFAULT_PROFILE = "solo-artist";

function inputsFor(actions: EstimatorAction[], counts: Readonly<Record<string, number>>): Record<string, Input> {
  return Object.fromEntries(
    actions.map((a) => [a.actionKey, { value: counts[a.actionKey] ? String(counts[a.actionKey]) : "", badInput: false }]),
  );
}

const plural = (n: number, word: string) => `${formatCredits(n)} ${word}${n === 1 ? "" : "s"}`;

/**
 * "How much will I use?": pick one of the seed's profiles or type monthly counts; the credits and the
 * recommended plan update as you type. Everything is computed by lib/pricing/estimate.ts.
 */
export function Estimator({ actions, plans, packs }: { actions: EstimatorAction[]; plans: PlanOffer[]; packs: PackOffer[] }) {
  const id = useId();
  // Only metered actions get a field; free ones cost nothing whatever the count.
  const fields = useMemo(() => actions.filter((a) => a.credits > 0).sort(byCategoryThenName), [actions]);
  const initialProfile = USAGE_PROFILES.find((p) => p.id === DEFAULT_PROFILE) ?? USAGE_PROFILES[0];
  const [profileId, setProfileId] = useState(initialProfile?.id ?? CUSTOM);
  const [inputs, setInputs] = useState(() => inputsFor(fields, initialProfile?.counts ?? {}));

  const parsed = fields.map((a) => {
    const input = inputs[a.actionKey] ?? { value: "", badInput: false };
    const result = input.badInput ? ({ ok: false, error: "Enter a whole number" } as const) : parseCount(input.value);
    return { action: a, input, result };
  });
  const counts = Object.fromEntries(parsed.map(({ action, result }) => [action.actionKey, result.ok ? result.value : 0]));
  const lines = new Map(estimateLines(counts, fields).map((l) => [l.actionKey, l.credits]));
  const credits = estimateMonthlyCredits(counts, fields);
  const invalid = parsed.filter((p) => !p.result.ok).length;
  const recommendation = recommendPlan(credits, plans, packs);
  const profile = USAGE_PROFILES.find((p) => p.id === profileId);
  const usualNote = profile
    ? compareWithUsualPlan(
        recommendation,
        plans.find((p) => p.id === profile.usualPlanId),
        profile.name,
      )
    : null;
  const usualPlan = profile ? plans.find((p) => p.id === profile.usualPlanId) : undefined;

  function chooseProfile(next: string) {
    setProfileId(next);
    const chosen = USAGE_PROFILES.find((p) => p.id === next);
    if (chosen) setInputs(inputsFor(fields, chosen.counts));
  }

  function onCount(actionKey: string, e: ChangeEvent<HTMLInputElement>) {
    const { value, validity } = e.target;
    setInputs((prev) => ({ ...prev, [actionKey]: { value, badInput: validity.badInput } }));
    setProfileId(CUSTOM);
  }

  function clearAll() {
    setInputs(inputsFor(fields, {}));
    setProfileId(CUSTOM);
  }

  const rec = recommendation;
  const plan = rec.plan;
  const annual = plan && !plan.contactSales ? annualPricing(plan) : null;
  const barPercent = rec.utilisationPermille === null ? null : Math.min(100, rec.utilisationPermille / 10);

  return (
    <TitledCard
      id="estimator-heading"
      anchor="estimator"
      title="How much will I use?"
      description="Start from a typical profile or type your own monthly counts. Credits and the plan that fits update as you type."
    >
      <CardBody className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-8">
          <fieldset>
            <legend className="text-sm font-semibold text-slate-900">Start from a profile</legend>
            <div className="mt-3 grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
              {[...USAGE_PROFILES, null].map((p) => {
                const value = p?.id ?? CUSTOM;
                const inputId = `${id}-profile-${value}`;
                const usual = p ? plans.find((x) => x.id === p.usualPlanId) : undefined;
                const checked = profileId === value;
                return (
                  <label
                    key={value}
                    htmlFor={inputId}
                    className={`relative flex cursor-pointer gap-3 rounded-lg p-3 ring-1 ring-inset transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-600 ${
                      checked ? "bg-indigo-50 ring-indigo-300" : "bg-white ring-slate-200 hover:bg-slate-50"
                    }`}
                  >
                    <input
                      id={inputId}
                      type="radio"
                      name={`${id}-profile`}
                      value={value}
                      checked={checked}
                      onChange={() => chooseProfile(value)}
                      aria-labelledby={`${inputId}-name`}
                      aria-describedby={`${inputId}-desc`}
                      className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600"
                    />
                    <span className="min-w-0">
                      <span id={`${inputId}-name`} className="block text-sm font-medium text-slate-900">
                        {p ? p.name : "Your own numbers"}
                      </span>
                      <span id={`${inputId}-desc`} className="block text-xs leading-5 text-slate-600">
                        {p ? (
                          <>
                            {plural(estimateMonthlyCredits(p.counts, actions), "credit")} a month{usual ? ` · usually ${usual.name}` : ""}
                          </>
                        ) : (
                          "Type counts below"
                        )}
                      </span>
                    </span>
                  </label>
                );
              })}
            </div>
          </fieldset>

          <fieldset>
            <legend className="text-sm font-semibold text-slate-900">Actions per month</legend>
            {fields.length === 0 ? (
              <p className="mt-3 text-sm text-slate-500">No metered actions are priced yet.</p>
            ) : (
              <div className="mt-3 grid gap-x-6 gap-y-4 sm:grid-cols-2">
                {parsed.map(({ action, input, result }) => {
                  const inputId = `${id}-count-${action.actionKey.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
                  const error = result.ok ? null : result.error;
                  return (
                    <div key={action.actionKey}>
                      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
                        {action.name}
                      </label>
                      <div className="mt-1.5 flex items-center gap-3">
                        <input
                          id={inputId}
                          type="number"
                          inputMode="numeric"
                          min={0}
                          max={MAX_MONTHLY_COUNT}
                          step={1}
                          placeholder="0"
                          value={input.value}
                          onChange={(e) => onCount(action.actionKey, e)}
                          aria-invalid={error ? true : undefined}
                          aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ""}`}
                          className={`block w-28 shrink-0 rounded-md border-0 px-3 py-1.5 text-right text-slate-900 tabular-nums shadow-xs ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset sm:text-sm ${
                            error ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600"
                          }`}
                        />
                        <span id={`${inputId}-hint`} className="text-xs text-slate-500 tabular-nums">
                          × {plural(action.credits, "credit")}
                          {result.ok && result.value > 0 ? (
                            <span className="text-slate-700"> = {formatCredits(lines.get(action.actionKey) ?? 0)}</span>
                          ) : null}
                        </span>
                      </div>
                      {error ? (
                        <p id={`${inputId}-error`} className="mt-1 text-xs text-red-600">
                          {error}
                        </p>
                      ) : null}
                    </div>
                  );
                })}
              </div>
            )}
            <Button type="button" variant="secondary" className="mt-5" onClick={clearAll}>
              Clear all counts
            </Button>
          </fieldset>
        </div>

        <aside
          aria-labelledby={`${id}-result`}
          className="self-start rounded-xl bg-slate-50 p-5 ring-1 ring-inset ring-slate-200 lg:sticky lg:top-6"
        >
          <h3 id={`${id}-result`} className="text-sm font-semibold text-slate-900">
            Your estimate
          </h3>
          <p role="status" className="mt-2 text-slate-600">
            <span className="text-4xl font-bold tracking-tight text-slate-900 tabular-nums" data-testid="estimate-credits">
              {formatCredits(credits)}
            </span>{" "}
            credits a month
            {plan ? <span className="sr-only">, {plan.name} recommended</span> : null}
          </p>
          {invalid > 0 ? (
            <p className="mt-2 text-sm text-red-600">
              {invalid === 1 ? "One count is" : `${invalid} counts are`} not a whole number between 0 and {formatCredits(MAX_MONTHLY_COUNT)}{" "}
              and {invalid === 1 ? "is" : "are"} left out.
            </p>
          ) : null}

          {plan ? (
            <div className="mt-5 border-t border-slate-200 pt-5">
              <p className="text-xs font-semibold uppercase tracking-wide text-indigo-700">Recommended plan</p>
              <div className="mt-1 flex flex-wrap items-baseline justify-between gap-x-3">
                <p className="text-2xl font-semibold text-slate-900" data-testid="recommended-plan">
                  {plan.name}
                </p>
                <p className="text-slate-700 tabular-nums">
                  {plan.contactSales ? "from " : ""}
                  <span className="text-lg font-semibold text-slate-900">{formatCents(plan.priceMonthlyCents)}</span>/month
                </p>
              </div>
              {annual && annual.savingCents > 0 ? (
                <p className="mt-0.5 text-right text-xs text-slate-500">
                  or {formatCents(annual.monthlyEquivalentCents)}/month billed yearly
                </p>
              ) : null}
              {barPercent !== null && plan.monthlyCredits !== null ? (
                <div className="mt-4">
                  <div
                    role="meter"
                    aria-label={`Share of ${plan.name}’s monthly allowance`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round(barPercent)}
                    aria-valuetext={`${formatPermille(rec.utilisationPermille!)} of ${formatCredits(plan.monthlyCredits)} credits`}
                    className="relative h-2.5 w-full overflow-hidden rounded-full bg-white ring-1 ring-inset ring-slate-200"
                  >
                    <div className="h-full rounded-full bg-indigo-600" style={{ width: `${barPercent}%` }} />
                    <div
                      className="absolute inset-y-0 w-0.5 bg-amber-500"
                      style={{ left: `${UPGRADE_THRESHOLD_PERCENT}%` }}
                      aria-hidden="true"
                    />
                  </div>
                  <p className="mt-1.5 flex justify-between text-xs text-slate-500 tabular-nums">
                    <span>
                      {formatPermille(rec.utilisationPermille!)} of {formatCredits(plan.monthlyCredits)}
                    </span>
                    <span>{UPGRADE_THRESHOLD_PERCENT}% upgrade mark</span>
                  </p>
                </div>
              ) : null}
              <p className="mt-4 text-sm leading-6 text-slate-700" data-testid="recommendation-reason">
                {rec.reason}
              </p>
              {usualNote && usualPlan ? (
                <div
                  className="mt-4 rounded-lg bg-amber-50 p-3 text-sm leading-6 text-amber-900 ring-1 ring-inset ring-amber-200"
                  data-testid="usual-plan-note"
                >
                  <p className="font-semibold">Why not {usualPlan.name}?</p>
                  <p className="mt-1">{usualNote}</p>
                </div>
              ) : null}
              <ButtonLink
                href="/signup"
                className="mt-5 w-full"
                variant={plan.contactSales ? "secondary" : "primary"}
                aria-label={
                  plan.contactSales
                    ? `Contact sales about ${plan.name}`
                    : plan.priceMonthlyCents === 0
                      ? `Start free on ${plan.name}`
                      : `Get started with ${plan.name}`
                }
              >
                {plan.contactSales ? "Contact sales" : plan.priceMonthlyCents === 0 ? "Start free" : `Get started with ${plan.name}`}
              </ButtonLink>
            </div>
          ) : (
            <div className="mt-5 border-t border-slate-200 pt-5">
              <p className="text-2xl font-semibold text-slate-900" data-testid="recommended-plan">
                No single plan
              </p>
              <p className="mt-2 text-sm leading-6 text-slate-700" data-testid="recommendation-reason">
                {rec.reason}
              </p>
            </div>
          )}

          {rec.alternatives.length > 0 ? (
            <div className="mt-6">
              <h4 className="text-sm font-semibold text-slate-900">{plan ? "Other ways to cover it" : "Plan plus packs"}</h4>
              <ul className="mt-2 divide-y divide-slate-200 text-sm">
                {rec.alternatives.map((alt) => (
                  <Alternative key={alt.plan.id} option={alt} versus={plan && !plan.contactSales ? plan : null} />
                ))}
              </ul>
              <p className="mt-2 text-xs leading-5 text-slate-500">
                Packs are one-time purchases: buy them again in a month you run out. Plan credits reset on the 1st.
              </p>
            </div>
          ) : null}
        </aside>
      </CardBody>
    </TitledCard>
  );
}

function Alternative({ option, versus }: { option: PlanOption; versus: PlanOffer | null }) {
  const { plan, packs } = option;
  const difference = versus ? versus.priceMonthlyCents - option.costCents : 0;
  const title = packs.lines.length === 0 ? plan.name : `${plan.name} + ${packs.lines.map((l) => `${l.quantity} × ${l.name}`).join(" + ")}`;
  return (
    <li className="py-2.5">
      <div className="flex items-baseline justify-between gap-3">
        <span className="font-medium text-slate-900">{title}</span>
        <span className="shrink-0 font-semibold text-slate-900 tabular-nums">{formatCents(option.costCents)}</span>
      </div>
      <p className="mt-0.5 text-xs text-slate-500">
        {packs.lines.length === 0
          ? `${formatPermille(option.utilisationPermille ?? 0)} of the allowance used`
          : `packs add ${formatCredits(packs.credits)} credits`}
        {option.headroomCredits !== null ? ` · ${plural(option.headroomCredits, "credit")} to spare` : ""}
      </p>
      {versus && difference !== 0 ? (
        <p className={`mt-0.5 text-xs font-medium ${difference > 0 ? "text-emerald-700" : "text-slate-600"}`}>
          {difference > 0
            ? `${formatCents(difference)} a month less than ${versus.name}`
            : `${formatCents(-difference)} a month more than ${versus.name}`}
        </p>
      ) : null}
    </li>
  );
}
