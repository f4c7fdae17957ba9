import { withSession } from "@/lib/auth/session";
import { parseJsonBody } from "@/lib/api/body";
import { checkoutRequestSchema, createPackCheckout } from "@/lib/billing/stripe/checkout";
import { createPlanCheckout } from "@/lib/billing/stripe/subscriptions";

export const dynamic = "force-dynamic";

/** Opens a Stripe Checkout Session: `{pack_id}` for a credit pack, `{plan, interval}` for a subscription. Owners only. */
export const POST = withSession(
  async (req, { workspace, user }) => {
    const request = await parseJsonBody(req, checkoutRequestSchema);
    const session =
      "pack_id" in request
        ? await createPackCheckout({ workspaceId: workspace.id, email: user.email, request })
        : await createPlanCheckout({ workspaceId: workspace.id, email: user.email, planId: request.plan, interval: request.interval });
    return Response.json(session);
  },
  { role: "OWNER" },
);
