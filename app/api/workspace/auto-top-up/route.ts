import { withSession } from "@/lib/auth/session";
import { readJson } from "@/lib/api/body";
import { getAutoTopUp, updateAutoTopUp } from "@/lib/billing/stripe/auto-top-up";

export const dynamic = "force-dynamic";

/** The workspace's auto top-up settings, saved card and history (everyone in the workspace may read them). */
export const GET = withSession(async (_req, { workspace }) => {
  return Response.json(await getAutoTopUp(workspace.id), { headers: { "Cache-Control": "no-store" } });
});

/** Saves the settings: `{enabled, threshold_credits, pack_id, monthly_cap, cooldown_minutes}`. Owners only. */
export const PUT = withSession(
  async (req, { workspace, user }) => {
    return Response.json(await updateAutoTopUp(workspace.id, user.id, await readJson(req)));
  },
  { role: "OWNER" },
);
