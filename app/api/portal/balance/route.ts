import { portalRoute } from "@/lib/portal-sessions/route";
import { portalBalance } from "@/lib/portal-sessions/billing";

export const dynamic = "force-dynamic";

/** The session's workspace balance, for the billing panel's live refresh (any role). */
export const GET = portalRoute({}, ({ view }) => portalBalance(view));
