import { portalRoute } from "@/lib/portal-sessions/route";
import { portalChangePlan } from "@/lib/portal-sessions/billing";
import { planChangeRequestSchema } from "@/lib/billing/stripe/checkout";

export const dynamic = "force-dynamic";

/** Moves the subscription to another plan (the confirmed preview's proration date). Owners only. */
export const POST = portalRoute({ body: planChangeRequestSchema }, ({ view, body }) => portalChangePlan(view, body));
