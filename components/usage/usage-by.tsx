import Link from "next/link";
import { CATEGORY_COLORS, CATEGORY_LABELS } from "@/lib/pricing/categories";
import { formatCredits } from "@/lib/format";
import type { GroupTotals, UsageBreakdown } from "@/lib/usage/attribution";
import type { UsageGroup } from "@/lib/usage/search";
import type { ActorLabels } from "@/components/usage/history-table";
import { Swatch } from "@/components/ui/swatch";
import { Table } from "@/components/ui/table";

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

function GroupTable({ caption, head, rows, total }: { caption: string; head: string; rows: Row[]; total: number }) {
  return (
    <Table
      look="plain"
      caption={caption}
      captionClassName="px-5 pb-2 text-left text-xs font-medium uppercase tracking-wide text-slate-500 sm:px-6"
      className="table-fixed"
      rows={rows}
      rowKey={(r) => r.label + (r.sub ?? "")}
      columns={[
        {
          header: head,
          rowHeader: true,
          cell: (r) => (
            <span className="flex min-w-0 items-center gap-2">
              {r.color ? <Swatch color={r.color} className="mr-0 shrink-0" /> : null}
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
          ),
        },
        { header: "Events", align: "right", className: "w-20", cellClassName: "text-slate-600", cell: (r) => formatCredits(r.events) },
        {
          header: "Credits",
          align: "right",
          className: "w-28",
          cellClassName: "font-medium text-slate-900",
          cell: (r) => (
            <>
              {formatCredits(r.credits)}
              <span className="ml-1 hidden text-xs font-normal text-slate-500 sm:inline">
                {total > 0 ? `${Math.round((r.credits / total) * 100)}%` : ""}
              </span>
            </>
          ),
        },
      ]}
    />
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
        <GroupTable
          caption={GROUP_CAPTION[grouped.group]}
          head={GROUP_HEAD[grouped.group]}
          rows={grouped.rows.map((r) => groupRow(grouped.group, r, labels, linkFor))}
          total={breakdown.credits}
        />
      ) : (
        <GroupTable caption="By member or API key" head="Who" rows={actors} total={breakdown.credits} />
      )}
      <GroupTable caption="By category" head="Category" rows={categories} total={breakdown.credits} />
    </div>
  );
}
