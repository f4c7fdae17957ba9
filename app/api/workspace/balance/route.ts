import { withSession } from "@/lib/auth/session";
import { getBalance } from "@/lib/credits";

export const dynamic = "force-dynamic";

/** The current workspace's balance, for the portal's live-refreshing panels. */
export const GET = withSession(async (_req, { workspace }) => {
  return Response.json(await getBalance(workspace.id), { headers: { "Cache-Control": "no-store" } });
});
