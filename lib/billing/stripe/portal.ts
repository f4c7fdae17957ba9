import { appUrl } from "@/lib/env";
import { stripe } from "@/lib/billing/stripe/client";
import { ensureCustomer } from "@/lib/billing/stripe/customers";

/** Where the Billing Portal comes back to by default: Settings → Billing, told to converge first (syncAfterPortal). */
export const PORTAL_RETURN_MARK = "billing-portal";

/** A Stripe Billing Portal session for the workspace's customer (created on first use); back to Settings → Billing unless `returnUrl` says otherwise. */
export async function createPortalSession(input: { workspaceId: string; email: string; returnUrl?: string }): Promise<{ url: string }> {
  const customer = await ensureCustomer(input.workspaceId, input.email);
  const session = await stripe().billingPortal.sessions.create({
    customer,
    return_url: input.returnUrl ?? appUrl(`/settings/billing?from=${PORTAL_RETURN_MARK}`),
  });
  return { url: session.url };
}
