import type { Balance } from "@/lib/credits";
import { CardBody, TitledCard } from "@/components/ui/card";
import { LocalTime } from "@/components/billing/local-time";
import { formatCountdown, formatCredits, formatUtc, formatUtcDay, percent } from "@/lib/format";
import { forecast } from "@/lib/usage/forecast";
import { UPGRADE_THRESHOLD_PERCENT } from "@/lib/pricing/estimate";

/** One figure of a summary card, named by its label. */
export function Stat({ label, value, hint }: { label: string; value: string; hint?: React.ReactNode }) {
  return (
    <div role="group" aria-label={label} className="rounded-lg bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
      <p className="text-sm font-medium text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">{value}</p>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

export function CreditsSummary({ balance }: { balance: Balance }) {
  const { allowance, used, allowanceUsed, beyondPlan, remaining, period } = balance;
  // Every "N of M" here is the allowance's (lib/credits/figures.ts): N never exceeds M.
  const usedPct = balance.allowancePercent;
  const extra = remaining - balance.allowanceRemaining;
  const heldPct = allowance ? Math.min(100 - usedPct, percent(balance.held, allowance)) : 0;
  const outlook = balance.unlimited
    ? null
    : forecast({ used, remaining, periodStart: period.start, periodEnd: period.end, asOf: balance.asOf });
  return (
    <TitledCard
      id="credits-heading"
      title="AI credits"
      description="Credits reset on the 1st of each month. Unused plan credits do not roll over."
    >
      <CardBody className="space-y-6">
        <div className="grid gap-4 sm:grid-cols-3">
          <Stat
            label="Credits remaining"
            value={balance.unlimited ? "Unlimited" : formatCredits(remaining)}
            hint={extra > 0 ? `incl. ${formatCredits(extra)} bonus or purchased` : undefined}
          />
          <Stat
            label="Used this period"
            value={formatCredits(used)}
            hint={
              allowance
                ? `${formatCredits(allowanceUsed)} of your plan’s ${formatCredits(allowance)}${beyondPlan > 0 ? ` + ${formatCredits(beyondPlan)} bonus or purchased` : ""}${balance.unmetered > 0 ? ` + ${formatCredits(balance.unmetered)} paid per call (x402)` : ""}`
                : "unmetered"
            }
          />
          <Stat
            label="Resets"
            value={formatCountdown(balance.asOf, period.end).replace(/^in /, "in ")}
            hint={
              <>
                <LocalTime iso={period.end} withUtc />
              </>
            }
          />
        </div>
        {allowance ? (
          <div>
            <div className="flex items-baseline justify-between text-sm">
              <span className="font-medium text-slate-700">Monthly allowance</span>
              <span className="tabular-nums text-slate-600">
                {formatCredits(allowanceUsed)} / {formatCredits(allowance)} used
              </span>
            </div>
            <div
              role="progressbar"
              aria-label="Monthly allowance used"
              aria-valuemin={0}
              aria-valuemax={allowance}
              aria-valuenow={allowanceUsed}
              aria-valuetext={`${formatCredits(allowanceUsed)} of ${formatCredits(allowance)} credits used`}
              className="mt-2 h-3 w-full overflow-hidden rounded-full bg-slate-100 ring-1 ring-inset ring-slate-200"
            >
              <div className="flex h-full">
                <div
                  className={`h-full ${usedPct >= UPGRADE_THRESHOLD_PERCENT ? "bg-amber-500" : "bg-indigo-600"}`}
                  style={{ width: `${usedPct}%` }}
                />
                {heldPct > 0 ? (
                  <div
                    className="h-full bg-indigo-300 bg-[repeating-linear-gradient(45deg,transparent,transparent_4px,rgba(255,255,255,.5)_4px,rgba(255,255,255,.5)_8px)]"
                    style={{ width: `${heldPct}%` }}
                  />
                ) : null}
              </div>
            </div>
            <p className="mt-2 text-xs text-slate-500">
              {usedPct}% of this month’s allowance used
              {balance.held > 0 ? <> · {formatCredits(balance.held)} held by pending reservations</> : null} · period started{" "}
              {formatUtc(period.start)}
            </p>
          </div>
        ) : null}
        {outlook?.ranOut ? (
          <p className="text-sm text-slate-600" aria-label="Forecast">
            <span className="font-semibold text-red-700">Your credits have run out</span> for this period. Your plan’s credits come back at
            the reset on <LocalTime iso={period.end} className="font-semibold text-slate-900" />.
          </p>
        ) : outlook ? (
          <p className="text-sm text-slate-600" aria-label="Forecast">
            At today’s pace (about {formatCredits(outlook.perDay)} a day) you’ll use about{" "}
            <span className="font-semibold tabular-nums text-slate-900">{formatCredits(outlook.projectedUse)}</span> credits by the reset
            {outlook.runsOutAt ? (
              <>
                {" "}
                and <span className="font-semibold text-red-700">run out on {formatUtcDay(outlook.runsOutAt)}</span>, before it
              </>
            ) : null}
            .
          </p>
        ) : null}
      </CardBody>
    </TitledCard>
  );
}
