import type { Metadata } from "next";
import Link from "next/link";
import { requireWorkspace } from "@/lib/auth/session";
import { historyActions, usageHistoryPage } from "@/lib/usage/history";
import { parseHistoryQuery } from "@/lib/usage/params";
import { historySearch, type HistoryForm } from "@/lib/usage/search";
import { ButtonLink } from "@/components/ui/button";
import { formatCredits } from "@/lib/format";
import { Card, TitledCard } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/field";
import { HistoryFilters } from "@/components/usage/history-filters";
import { HistoryPager } from "@/components/usage/history-pager";
import { HistoryTable, type ActorLabels } from "@/components/usage/history-table";
import { UsageBy, type LinkFor } from "@/components/usage/usage-by";
import { QuickPicks } from "@/components/usage/quick-picks";
import { RangeChart } from "@/components/usage/range-chart";
import { attributionIds, keyLabel, usageAttribution, usageBreakdown, usageByGroup } from "@/lib/usage/attribution";
import { quickPicks, rangeChart } from "@/lib/usage/periods";

export const metadata: Metadata = { title: "Usage history" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const GROUPED_BY = { who: "by who caused them", action: "by action", member: "by member", key: "by API key" } as const;

export default async function UsagePage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace } = await requireWorkspace();
  const [actions, attribution, params] = await Promise.all([historyActions(), usageAttribution(workspace.id), searchParams]);
  const query = parseHistoryQuery(
    params,
    actions.map((a) => a.key),
    attributionIds(attribution),
  );
  const [page, breakdown, grouped, picks, chart] = await Promise.all([
    usageHistoryPage(workspace.id, { filters: query.filters, before: query.before, after: query.after }),
    usageBreakdown(workspace.id, query.filters),
    query.group ? usageByGroup(workspace.id, query.filters, query.group) : null,
    quickPicks(workspace.id),
    rangeChart(workspace.id, query.filters),
  ]);
  const labels: ActorLabels = {
    member: Object.fromEntries(attribution.members.map((m) => [m.userId, m.email])),
    key: Object.fromEntries(attribution.keys.map((k) => [k.id, keyLabel(k)])),
  };
  const actionNames = Object.fromEntries(actions.map((a) => [a.key, a.name]));
  const memberOptions = attribution.members.map((m) => ({ id: m.userId, label: `${m.email}${m.current ? "" : " (former member)"}` }));
  const keyOptions = attribution.keys.map((k) => ({ id: k.id, label: `${keyLabel(k)}${k.revoked ? " (revoked)" : ""}` }));
  const paged = Boolean(query.before || query.after);
  const neverUsed = page.rows.length === 0 && !query.filtered && !paged;
  const invalid: Partial<Record<keyof HistoryForm, string>> = {};
  for (const p of query.problems) if (p.field !== "cursor") invalid[p.field] ??= p.message;
  const cursorProblem = query.problems.find((p) => p.field === "cursor");
  const link = (cursor: { before?: string; after?: string }) => `/settings/usage${historySearch(query.applied, cursor)}`;
  const linkFor: LinkFor = (target) =>
    `/settings/usage${historySearch({ ...query.applied, ...(target.action ? { action: target.action } : { member: target.member ?? "", key: target.key ?? "" }) })}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">Usage history</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every metered event of {workspace.name}: what it cost, which credits paid for it, and the balance after it.
          </p>
        </div>
        {neverUsed ? null : (
          <ButtonLink variant="secondary" href={`/api/workspace/usage.csv${historySearch(query.applied)}`} prefetch={false} download>
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-slate-500">
              <path d="M10.75 2.75a.75.75 0 0 0-1.5 0v8.614L6.295 8.235a.75.75 0 1 0-1.09 1.03l4.25 4.5a.75.75 0 0 0 1.09 0l4.25-4.5a.75.75 0 0 0-1.09-1.03l-2.955 3.129V2.75Z" />
              <path d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z" />
            </svg>
            Export CSV
          </ButtonLink>
        )}
      </div>

      {neverUsed ? (
        <Card aria-labelledby="usage-empty-heading" className="px-6 py-12 text-center">
          <h2 id="usage-empty-heading" className="text-base font-semibold text-slate-900">
            No usage yet — events appear here as your AI product calls the API
          </h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-slate-500">
            Each call that debits, reserves or queues credits is listed with its cost, the buckets it drew on and the balance after it.
          </p>
          <ButtonLink href="/settings/api-keys" className="mt-5">
            Get an API key
          </ButtonLink>
        </Card>
      ) : (
        <>
          <Card aria-labelledby="usage-filters-heading" className="px-5 py-5 sm:px-6">
            <h2 id="usage-filters-heading" className="sr-only">
              Filters
            </h2>
            <div className="mb-4">
              <QuickPicks picks={picks} form={query.applied} />
            </div>
            {/* Keyed by the filters: a link that changes them (Reset, the breakdown's names) refreshes the form's fields. */}
            <HistoryFilters
              key={historySearch(query.form)}
              form={query.form}
              actions={actions}
              members={memberOptions}
              keys={keyOptions}
              filtered={query.filtered}
              invalid={invalid}
            />
          </Card>
          {query.notes.length > 0 ? (
            <p role="status" className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200">
              {query.notes.map((n) => (
                <span key={n} className="block">
                  {n}
                </span>
              ))}
            </p>
          ) : null}
          {query.problems.length > 0 ? (
            <FormAlert>
              {[...new Set(query.problems.map((p) => p.message))].map((m) => (
                <span key={m} className="block">
                  {m}
                </span>
              ))}
            </FormAlert>
          ) : null}
          {breakdown.events > 0 ? (
            <TitledCard
              title="Breakdown"
              description={`${formatCredits(breakdown.events)} event${breakdown.events === 1 ? "" : "s"}${query.filtered ? " matching the filters" : ""}, ${formatCredits(breakdown.credits)} credits charged, ${GROUPED_BY[query.group ?? "who"]} and by category.`}
            >
              <UsageBy
                breakdown={breakdown}
                grouped={query.group && grouped ? { group: query.group, rows: grouped } : null}
                labels={{ ...labels, action: actionNames }}
                linkFor={linkFor}
              />
            </TitledCard>
          ) : null}
          {chart && breakdown.events > 0 ? <RangeChart chart={chart} filtered={query.filtered} /> : null}
          <TitledCard
            title="Events"
            description="Newest first. Times are in your time zone (hover for UTC); the balance is your total credits right after the event's last ledger entry."
          >
            {page.rows.length > 0 ? (
              <>
                <HistoryTable rows={page.rows} labels={labels} />
                <HistoryPager
                  shown={page.rows.length}
                  newerHref={page.newer ? link({ after: page.newer }) : null}
                  olderHref={page.older ? link({ before: page.older }) : null}
                />
              </>
            ) : (
              <div className="px-6 py-12 text-center">
                {query.filtered ? (
                  <>
                    <p className="text-sm font-medium text-slate-900">No events match these filters.</p>
                    <Link href="/settings/usage" className="mt-2 inline-block text-sm font-semibold text-indigo-600 hover:text-indigo-500">
                      Reset filters
                    </Link>
                  </>
                ) : (
                  <>
                    <p className="text-sm font-medium text-slate-900">
                      {cursorProblem ? cursorProblem.message : "No more events on this side."}
                    </p>
                    <Link href="/settings/usage" className="mt-2 inline-block text-sm font-semibold text-indigo-600 hover:text-indigo-500">
                      Go to the newest events
                    </Link>
                  </>
                )}
              </div>
            )}
          </TitledCard>
        </>
      )}
    </div>
  );
}
