import { withSession } from "@/lib/auth/session";
import { parseJsonBody } from "@/lib/api/body";
import { planChangeRequestSchema } from "@/lib/billing/stripe/checkout";
import { changeSubscriptionPlan } from "@/lib/billing/stripe/subscriptions";

export const dynamic = "force-dynamic";

/** Moves an existing subscription to another plan: upgrades now (prorated at the confirmed preview's date), downgrades at the period end. Owners only. */
export const POST = withSession(
  async (req, { workspace }) => {
    const request = await parseJsonBody(req, planChangeRequestSchema);
    return Response.json(
      await changeSubscriptionPlan({
        workspaceId: workspace.id,
        planId: request.plan,
        interval: request.interval,
        prorationDate: request.proration_date,
      }),
    );
  },
  { role: "OWNER" },
);
