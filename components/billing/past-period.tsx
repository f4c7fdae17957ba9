import type { ReactNode } from "react";
import Link from "next/link";
import type { PastPeriodView } from "@/lib/usage/periods";
import { formatCredits, formatUtcDay } from "@/lib/format";
import { historySearch } from "@/lib/usage/search";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";
import { Stat } from "@/components/billing/credits-summary";
import { LocalTime } from "@/components/billing/local-time";
import { UsageBreakdown } from "@/components/billing/usage-breakdown";
import { DailyUsage } from "@/components/billing/daily-usage";

const STAT_COLUMNS: Record<number, string> = { 3: "", 4: "lg:grid-cols-4", 5: "lg:grid-cols-5" };
const plural = (n: number, one: string) => `${formatCredits(n)} ${one}${n === 1 ? "" : "s"}`;

/** The period picker: a plain GET form (`?period=`), so it works without JavaScript and links can name a period. */
function PeriodPicker({ view }: { view: PastPeriodView }) {
  return (
    <form method="get" action="/settings/billing" aria-label="Show an earlier period" className="flex flex-wrap items-end gap-x-3 gap-y-1">
      <div className="flex w-full items-end gap-3 sm:w-auto">
        <SelectField
          id="billing-period"
          name="period"
          label="Credit period"
          defaultValue={view.past?.value ?? ""}
          className="min-w-0 flex-1 sm:w-72 sm:flex-none"
        >
          <option value="">Current period</option>
          {view.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="secondary" className="shrink-0">
          Show period
        </Button>
      </div>
      {view.past ? (
        <Link href="/settings/billing" className="rounded-md py-2 text-sm font-semibold text-indigo-700 hover:text-indigo-600 sm:px-3">
          Back to the current period
        </Link>
      ) : null}
    </form>
  );
}

/** A past period's figures, read-only: what was charged, by action type and by day. */
function PeriodSummary({ past }: { past: NonNullable<PastPeriodView["past"]> }) {
  const { usage } = past;
  const when = `in ${past.label}`;
  const others = usage.recorded - usage.events;
  const busiest = usage.daily
    .map((d) => ({ day: d.day, credits: Object.values(d.credits).reduce((a, b) => a + b, 0) }))
    .reduce<{ day: string; credits: number } | null>((best, d) => (d.credits > (best?.credits ?? 0) ? d : best), null);
  const stats = 3 + (usage.unmetered.events > 0 ? 1 : 0) + (usage.x402.events > 0 ? 1 : 0);
  return (
    <>
      <Card aria-labelledby="period-summary-heading">
        <CardHeader
          id="period-summary-heading"
          title={`Period summary: ${past.label}`}
          description={
            <>
              {formatUtcDay(past.start)} – {formatUtcDay(new Date(Date.parse(past.end) - 1).toISOString())}, in UTC days (it began{" "}
              <LocalTime iso={past.start} /> your time). A closed period: these figures are for reading only.
            </>
          }
          action={
            <ButtonLink
              variant="secondary"
              href={`/settings/usage${historySearch({ from: past.history.from, to: past.history.to, action: "", status: "", member: "", key: "", group: "" })}`}
            >
              See these events in Usage history
            </ButtonLink>
          }
        />
        <CardBody>
          <div className={`grid gap-4 sm:grid-cols-3 ${STAT_COLUMNS[stats]}`}>
            <Stat label="Credits used" value={formatCredits(usage.credits)} hint="charged, net of refunds" />
            <Stat
              label="Events"
              value={formatCredits(usage.events)}
              hint={others > 0 ? `charged; ${plural(others, "other event")} held, queued, released or refunded` : "charged"}
            />
            <Stat
              label="Busiest day"
              value={busiest ? formatCredits(busiest.credits) : "—"}
              hint={busiest ? `credits on ${formatUtcDay(busiest.day)} (UTC)` : "no credits charged"}
            />
            {usage.unmetered.events > 0 ? (
              <Stat
                label="Unmetered"
                value={formatCredits(usage.unmetered.credits)}
                hint={`of the credits used: ${plural(usage.unmetered.events, "event")} drawn from no grant`}
              />
            ) : null}
            {usage.x402.events > 0 ? (
              <Stat
                label="Paid with x402"
                value={formatCredits(usage.x402.credits)}
                hint={`of the credits used: ${plural(usage.x402.events, "event")} paid in USDC`}
              />
            ) : null}
          </div>
        </CardBody>
      </Card>
      <div className="render-when-visible">
        <UsageBreakdown breakdown={usage.breakdown} when={when} />
      </div>
      <div className="render-when-visible">
        <DailyUsage daily={usage.daily} period={{ start: past.start, end: past.end }} asOf={past.end} when={when} />
      </div>
    </>
  );
}

/**
 * The billing page's usage section: a picker of the current and earlier credit periods (once there was usage
 * before this one), then either the
 * live panel (`children`) or, for an earlier period, its summary. A value in the URL that names no
 * period is reported and the current period shown.
 */
export function PastPeriod({ view, children }: { view: PastPeriodView; children: ReactNode }) {
  return (
    <div className="space-y-6">
      {view.options.length > 0 ? <PeriodPicker view={view} /> : null}
      {view.note ? (
        <p role="status" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-800 ring-1 ring-inset ring-amber-200">
          {view.note}
        </p>
      ) : null}
      {view.past ? <PeriodSummary past={view.past} /> : children}
    </div>
  );
}
