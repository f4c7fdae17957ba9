import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/billing/local-time";
import { formatCredits, formatUtcDay } from "@/lib/format";
import { RESOLVED_BECAUSE, type LimitAlertView } from "@/lib/alerts/rules";

export type RecentAlert = LimitAlertView & { budgetName: string | null };

function title(a: RecentAlert): string {
  if (a.kind === "budget") return `${a.threshold}% of ${a.budgetName}`;
  return a.outOfCredits ? "Out of credits" : `${a.threshold}% of ${a.planName}`;
}

/** The settings page's history of alerts on every limit: when each fired and, once over, when and why it resolved. */
export function RecentAlerts({ alerts }: { alerts: RecentAlert[] }) {
  if (alerts.length === 0) {
    return (
      <p className="px-5 py-5 text-sm text-slate-500 sm:px-6">
        No alerts yet. They appear here when usage reaches a threshold you chose, of the allowance or of a budget.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Recent alerts">
      {alerts.map((a) => (
        <li
          key={a.id}
          data-testid="recent-alert"
          className="flex flex-col gap-1 px-5 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-6"
        >
          <div className="min-w-0 text-sm">
            <span className="font-medium text-slate-900 [overflow-wrap:anywhere]">{title(a)}</span>
            <span className="text-slate-600">
              {" "}
              · {formatCredits(a.used)} of {formatCredits(a.limit)} credits
              {a.periodEnd ? ` · period ${formatUtcDay(a.periodStart)} – ${formatUtcDay(a.periodEnd)}` : " · lifetime"}
            </span>
            <span className="block text-xs text-slate-500">
              Reached <LocalTime iso={a.firedAt} />
              {a.resolvedAt && a.resolvedReason ? (
                <>
                  {" "}
                  · resolved <LocalTime iso={a.resolvedAt} />: {RESOLVED_BECAUSE[a.resolvedReason]}
                </>
              ) : null}
            </span>
          </div>
          <div className="flex gap-1.5 self-start sm:self-auto">
            {a.resolvedAt ? <Badge tone="success">Resolved</Badge> : <Badge tone="warning">Firing</Badge>}
            {a.dismissedAt ? <Badge>Dismissed</Badge> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
