import { withSession } from "@/lib/auth/session";
import { parseJsonBody } from "@/lib/api/body";
import { checkoutRequestSchema, createPackCheckout } from "@/lib/billing/stripe/checkout";

export const dynamic = "force-dynamic";

/** Opens a Stripe Checkout Session for a credit pack. Owners only. */
export const POST = withSession(
  async (req, { workspace, user }) => {
    const request = await parseJsonBody(req, checkoutRequestSchema);
    return Response.json(await createPackCheckout({ workspaceId: workspace.id, email: user.email, request }));
  },
  { role: "OWNER" },
);
