import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/billing/local-time";
import { formatCredits, formatUtcDay } from "@/lib/format";
import type { UsageAlertView } from "@/lib/alerts/rules";

/** The settings page's history of recorded alerts. */
export function RecentAlerts({ alerts }: { alerts: (UsageAlertView & { dismissedAt: string | null; current: boolean })[] }) {
  if (alerts.length === 0) {
    return (
      <p className="px-5 py-5 text-sm text-slate-500 sm:px-6">No alerts yet. They appear here when usage reaches a threshold you chose.</p>
    );
  }
  return (
    <ul className="divide-y divide-slate-100">
      {alerts.map((a) => (
        <li key={a.id} className="flex flex-col gap-1 px-5 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-6">
          <div className="min-w-0 text-sm">
            <span className="font-medium text-slate-900">{a.outOfCredits ? "Out of credits" : `${a.threshold}% of ${a.planName}`}</span>
            <span className="text-slate-600">
              {" "}
              · {formatCredits(a.used)} of {formatCredits(a.allowance)} credits · period {formatUtcDay(a.periodStart)} –{" "}
              {formatUtcDay(a.periodEnd)}
            </span>
            <span className="block text-xs text-slate-500">
              Recorded <LocalTime iso={a.createdAt} />
            </span>
          </div>
          <div className="self-start sm:self-auto">
            {a.dismissedAt ? (
              <Badge>Dismissed</Badge>
            ) : a.current ? (
              <Badge tone="warning">Not dismissed</Badge>
            ) : (
              <Badge>Past period</Badge>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
