import type { BillingStatus } from "@/lib/billing/status";
import { formatUtcDay } from "@/lib/format";

const tones = {
  info: "bg-slate-50 text-slate-700 ring-slate-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-200",
  danger: "bg-red-50 text-red-800 ring-red-200",
} as const;

function Notice({ tone, title, children }: { tone: keyof typeof tones; title: string; children: React.ReactNode }) {
  return (
    <div role="status" className={`rounded-md px-4 py-3 text-sm ring-1 ring-inset ${tones[tone]}`}>
      <span className="font-semibold">{title}</span> {children}
    </div>
  );
}

/** What is about to happen to the subscription: a failed payment's timeline, a scheduled change. */
export function SubscriptionNotice({ status, planName, canManage }: { status: BillingStatus; planName: string; canManage: boolean }) {
  const fix = canManage ? "Update your card under Manage billing to pay now." : "Ask a workspace owner to update the card.";
  if (status.status === "PAUSED" && status.pastDue) {
    return (
      <Notice tone="danger" title={`${planName} is paused: the last payment failed.`}>
        Your plan allowance is frozen; bonus and purchased credits still work, and your data is untouched. {fix} Unpaid, the workspace returns to
        Free on {formatUtcDay(status.pastDue.freeAt)}.
      </Notice>
    );
  }
  if (status.status === "PAST_DUE" && status.pastDue) {
    return (
      <Notice tone="warning" title="Your last payment failed.">
        Everything keeps working for now. {fix} If it stays unpaid, the plan allowance is frozen on {formatUtcDay(status.pastDue.pausesAt)}.
      </Notice>
    );
  }
  if (status.pending) {
    return status.pending.cancels ? (
      <Notice tone="info" title={`${planName} cancels on ${formatUtcDay(status.pending.at)}.`}>
        You keep its credits until then; after that the workspace is on Free.
      </Notice>
    ) : (
      <Notice tone="info" title={`Your plan changes to ${status.pending.planName} on ${formatUtcDay(status.pending.at)}.`}>
        You keep {planName} and its credits until then.
      </Notice>
    );
  }
  return null;
}
