import { Badge } from "@/components/ui/badge";
import type { SubscriptionStatus } from "@/lib/generated/prisma/browser";

const LABEL: Record<SubscriptionStatus, string> = {
  NONE: "",
  TRIALING: "Trial",
  ACTIVE: "Active",
  PAST_DUE: "Past due",
  PAUSED: "Paused",
  CANCELED: "Canceled",
};
const TONE: Record<SubscriptionStatus, "neutral" | "brand" | "success" | "warning"> = {
  NONE: "neutral",
  TRIALING: "brand",
  ACTIVE: "success",
  PAST_DUE: "warning",
  PAUSED: "warning",
  CANCELED: "neutral",
};

/** The Stripe subscription's state; nothing for a workspace without one (Free). */
export function SubscriptionBadge({ status, showNone = false }: { status: SubscriptionStatus; showNone?: boolean }) {
  if (status === "NONE") return showNone ? <Badge>No subscription</Badge> : null;
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}
