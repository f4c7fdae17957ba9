import { portalRoute } from "@/lib/portal-sessions/route";
import { portalCheckout } from "@/lib/portal-sessions/billing";
import { checkoutRequestSchema } from "@/lib/billing/stripe/checkout";

export const dynamic = "force-dynamic";

/** Stripe Checkout for `{pack_id}` or `{plan, interval}`, opened by the panel in a window of its own. Owners only. */
export const POST = portalRoute({ body: checkoutRequestSchema }, ({ view, body }) => portalCheckout(view, body));
