import { withSession } from "@/lib/auth/session";
import { settleCheckoutReturn } from "@/lib/billing/stripe/checkout-return";

export const dynamic = "force-dynamic";

/** Back from Checkout: has Stripe confirmed the purchase yet? Converges it if so (as the webhook does). Members too: it only reads and applies Stripe's state. */
export const GET = withSession(async (req, { workspace }) => {
  const sessionId = new URL(req.url).searchParams.get("session_id") ?? "";
  return Response.json(await settleCheckoutReturn(sessionId, workspace.id));
});
