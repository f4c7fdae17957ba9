import { Badge } from "@/components/ui/badge";
import type { HistoryStatus } from "@/lib/usage/labels";

const LOOK: Record<HistoryStatus, { tone: "neutral" | "brand" | "success" | "warning"; className?: string; title: string }> = {
  completed: { tone: "success", title: "Charged." },
  queued: { tone: "warning", title: "Accepted while out of credits: charged first-in first-out when credits arrive." },
  held: { tone: "brand", title: "A reservation holding credits until the work is committed or released (or the hold expires)." },
  released: { tone: "neutral", title: "The reservation was released: its hold went back in full." },
  refunded: {
    tone: "neutral",
    className: "bg-sky-50 text-sky-700 ring-sky-200",
    title: "Refunded: the credits went back to the buckets they came from.",
  },
  rejected: { tone: "neutral", className: "bg-red-50 text-red-700 ring-red-200", title: "Refused by a budget: nothing was charged." },
};

export const STATUS_LABEL: Record<HistoryStatus, string> = {
  completed: "Completed",
  queued: "Queued",
  held: "Held",
  released: "Released",
  refunded: "Refunded",
  rejected: "Refused",
};

export function StatusBadge({ status }: { status: HistoryStatus }) {
  const look = LOOK[status];
  return (
    <Badge tone={look.tone} className={look.className} title={look.title}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}
