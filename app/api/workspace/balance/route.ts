import { withSession } from "@/lib/auth/session";
import { getBalance } from "@/lib/credits";
import { withUsageAlerts } from "@/lib/alerts/usage-alerts";

export const dynamic = "force-dynamic";

/** The current workspace's balance, for the portal's live-refreshing panels, with its usage alerts (detected here too). */
export const GET = withSession(async (_req, { workspace }) => {
  return Response.json(await withUsageAlerts(await getBalance(workspace.id)), { headers: { "Cache-Control": "no-store" } });
});
