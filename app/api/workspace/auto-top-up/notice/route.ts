import { withSession } from "@/lib/auth/session";
import { dismissAutoTopUpNotice } from "@/lib/billing/stripe/auto-top-up";

export const dynamic = "force-dynamic";

/** Dismisses the owners' notice that auto top-up was switched off (the billing page's banner stays). Owners only. */
export const DELETE = withSession(
  async (_req, { workspace }) => {
    await dismissAutoTopUpNotice(workspace.id);
    return Response.json({ dismissed: true });
  },
  { role: "OWNER" },
);
