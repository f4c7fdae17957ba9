import { portalRoute } from "@/lib/portal-sessions/route";
import { portalPlanState } from "@/lib/portal-sessions/billing";

export const dynamic = "force-dynamic";

/** Where the session's workspace plan stands (any role): refreshed after a purchase or a plan change. */
export const GET = portalRoute({}, ({ view }) => portalPlanState(view));
