import { portalRoute } from "@/lib/portal-sessions/route";
import { portalUndoPlanChange } from "@/lib/portal-sessions/billing";

export const dynamic = "force-dynamic";

/** Keeps the current plan: undoes a scheduled downgrade or cancellation. Owners only. */
export const POST = portalRoute({}, ({ view }) => portalUndoPlanChange(view));
