import { withSession } from "@/lib/auth/session";
import { createPortalSession } from "@/lib/billing/stripe/portal";

export const dynamic = "force-dynamic";

/** Opens the Stripe Billing Portal for the workspace's customer. Owners only. */
export const POST = withSession(
  async (_req, { workspace, user }) => Response.json(await createPortalSession({ workspaceId: workspace.id, email: user.email })),
  {
    role: "OWNER",
  },
);
