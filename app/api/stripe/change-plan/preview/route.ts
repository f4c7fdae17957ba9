import { withSession } from "@/lib/auth/session";
import { parseJsonBody } from "@/lib/api/body";
import { planRequestSchema } from "@/lib/billing/stripe/checkout";
import { previewPlanChange } from "@/lib/billing/stripe/subscriptions";

export const dynamic = "force-dynamic";

/** What a plan change would charge today and what changes when, before it is confirmed. Owners only; changes nothing. */
export const POST = withSession(
  async (req, { workspace }) => {
    const request = await parseJsonBody(req, planRequestSchema);
    return Response.json(await previewPlanChange({ workspaceId: workspace.id, planId: request.plan, interval: request.interval }));
  },
  { role: "OWNER" },
);
