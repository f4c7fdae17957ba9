import { portalRoute } from "@/lib/portal-sessions/route";
import { portalManageBilling } from "@/lib/portal-sessions/billing";

export const dynamic = "force-dynamic";

/** The Stripe Billing Portal for the session's workspace, opened in a window of its own. Owners only. */
export const POST = portalRoute({}, ({ view }) => portalManageBilling(view));
