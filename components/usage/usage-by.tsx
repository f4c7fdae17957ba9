import Link from "next/link";
import { CATEGORY_COLORS, CATEGORY_LABELS } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import type { GroupTotals, UsageBreakdown } from "@/lib/usage/attribution";
import type { UsageGroup } from "@/lib/usage/search";
import type { ActorLabels } from "@/components/usage/history-table";

/** A filter link's target: the history narrowed to one member, API key or action. */
export type LinkFor = (target: { member?: string; key?: string; action?: string }) => string;
/** The breakdown's chosen grouping and its rows (lib/usage/attribution.ts usageByGroup). */
export type Grouped = { group: UsageGroup; rows: GroupTotals[] };

const GROUP_CAPTION: Record<UsageGroup, string> = { action: "By action", member: "By member", key: "By API key" };
const GROUP_HEAD: Record<UsageGroup, string> = { action: "Action", member: "Member", key: "API key" };

function groupRow(group: UsageGroup, r: GroupTotals, labels: ActorLabels & { action: Record<string, string> }, linkFor: LinkFor): Row {
  const figures = { events: r.events, credits: r.credits };
  if (group === "action")
    return {
      label: labels.action[r.id ?? ""] ?? r.id ?? "",
      sub: r.id ?? undefined,
      href: r.id ? linkFor({ action: r.id }) : undefined,
      ...figures,
    };
  if (group === "member")
    return r.id
      ? { label: labels.member[r.id] ?? "A former member", sub: "member", href: linkFor({ member: r.id }), ...figures }
      : { label: "No member (API key only)", ...figures };
  return r.id
    ? { label: labels.key[r.id] ?? "A deleted key", sub: "API key", href: linkFor({ key: r.id }), ...figures }
    : { label: "No API key (members in the portal)", ...figures };
}

type Row = { label: string; sub?: string; href?: string; color?: string; events: number; credits: number };

function Table({ caption, head, rows, total }: { caption: string; head: string; rows: Row[]; total: number }) {
  return (
    <table className="w-full table-fixed text-sm">
      <colgroup>
        <col />
        <col className="w-20" />
        <col className="w-28" />
      </colgroup>
      <caption className="px-5 pb-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500 sm:px-6">{caption}</caption>
      <thead>
        <tr className="border-y border-slate-200 bg-slate-50/60 text-left text-xs font-medium text-slate-500">
          <th scope="col" className="py-2 pl-5 pr-3 font-medium sm:pl-6">
            {head}
          </th>
          <th scope="col" className="px-3 py-2 text-right font-medium">
            Events
          </th>
          <th scope="col" className="py-2 pl-3 pr-5 text-right font-medium sm:pr-6">
            Credits
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.label + (r.sub ?? "")}>
            <th scope="row" className="py-2 pl-5 pr-3 text-left font-normal sm:pl-6">
              <span className="flex min-w-0 items-center gap-2">
                {r.color ? (
                  <span aria-hidden="true" className="h-2.5 w-2.5 shrink-0 rounded-sm" style={{ backgroundColor: r.color }} />
                ) : null}
                {r.href ? (
                  <Link
                    href={r.href}
                    className="truncate font-medium text-indigo-700 hover:text-indigo-600"
                    title={`Show only the events of ${r.label}`}
                  >
                    {r.label}
                  </Link>
                ) : (
                  <span className="truncate font-medium text-slate-900">{r.label}</span>
                )}
                {r.sub ? <span className="hidden shrink-0 text-xs text-slate-500 sm:inline">{r.sub}</span> : null}
              </span>
            </th>
            <td className="px-3 py-2 text-right tabular-nums text-slate-600">{formatCredits(r.events)}</td>
            <td className="py-2 pl-3 pr-5 text-right tabular-nums font-medium text-slate-900 sm:pr-6">
              {formatCredits(r.credits)}
              <span className="ml-1 hidden text-xs font-normal text-slate-500 sm:inline">
                {total > 0 ? `${Math.round((r.credits / total) * 100)}%` : ""}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The events matching the history's filters, summed by who caused them (member or API key; or, when a
 * grouping is chosen, by action, member or API key) and by category. Each action, member or key links
 * to the history filtered to it.
 */
export function UsageBy({
  breakdown,
  grouped,
  labels,
  linkFor,
}: {
  breakdown: UsageBreakdown;
  grouped?: Grouped | null;
  labels: ActorLabels & { action: Record<string, string> };
  linkFor: LinkFor;
}) {
  const actors: Row[] = breakdown.byActor.map((a) => {
    if (a.userId)
      return {
        label: labels.member[a.userId] ?? "A former member",
        sub: a.apiClientId ? "member, via API" : "member",
        href: linkFor({ member: a.userId }),
        events: a.events,
        credits: a.credits,
      };
    if (a.apiClientId)
      return {
        label: labels.key[a.apiClientId] ?? "A deleted key",
        sub: "API key",
        href: linkFor({ key: a.apiClientId }),
        events: a.events,
        credits: a.credits,
      };
    return { label: "Workspace (no member or key)", events: a.events, credits: a.credits };
  });
  const categories: Row[] = breakdown.byCategory.map((c) => ({
    label: CATEGORY_LABELS[c.category],
    color: CATEGORY_COLORS[c.category],
    events: c.events,
    credits: c.credits,
  }));
  return (
    <div className="grid gap-6 py-4 lg:grid-cols-2 lg:gap-0 lg:divide-x lg:divide-slate-100">
      {grouped ? (
        <Table
          caption={GROUP_CAPTION[grouped.group]}
          head={GROUP_HEAD[grouped.group]}
          rows={grouped.rows.map((r) => groupRow(grouped.group, r, labels, linkFor))}
          total={breakdown.credits}
        />
      ) : (
        <Table caption="By member or API key" head="Who" rows={actors} total={breakdown.credits} />
      )}
      <Table caption="By category" head="Category" rows={categories} total={breakdown.credits} />
    </div>
  );
}
