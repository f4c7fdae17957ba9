import { withSession } from "@/lib/auth/session";
import { createCardSetupSession } from "@/lib/billing/stripe/auto-top-up";

export const dynamic = "force-dynamic";

/** Opens a setup-mode Stripe Checkout Session that saves a card for auto top-up. Owners only. */
export const POST = withSession(
  async (_req, { workspace, user }) => Response.json(await createCardSetupSession({ workspaceId: workspace.id, email: user.email })),
  { role: "OWNER" },
);
