import { withSession } from "@/lib/auth/session";
import { undoScheduledChange } from "@/lib/billing/stripe/subscriptions";

export const dynamic = "force-dynamic";

/** Keeps the current plan: undoes a scheduled downgrade or cancellation before it takes effect. Owners only. */
export const POST = withSession(async (_req, { workspace }) => Response.json(await undoScheduledChange(workspace.id)), { role: "OWNER" });
