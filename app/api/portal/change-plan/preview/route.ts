import { portalRoute } from "@/lib/portal-sessions/route";
import { portalPreviewPlanChange } from "@/lib/portal-sessions/billing";
import { planRequestSchema } from "@/lib/billing/stripe/checkout";

export const dynamic = "force-dynamic";

/** What a plan change would charge today, before it is confirmed. Owners only; changes nothing. */
export const POST = portalRoute({ body: planRequestSchema }, ({ view, body }) => portalPreviewPlanChange(view, body));
