import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { debit } from "@/lib/credits";
import { testOnlyRoute } from "@/lib/api/test-mode";

// Test mode only: record a usage event (and its ledger entries) for a user's personal workspace,
// as the AI product would over the metering API.
const schema = z.object({
  email: z.string().email(),
  action: z.string().min(1),
  quantity: z.number().int().positive().default(1),
});

export const POST = testOnlyRoute(schema, async ({ email, action, quantity }) => {
  const membership = await db.membership.findFirst({
    where: { user: { email: email.toLowerCase() }, role: "OWNER" },
    orderBy: { createdAt: "asc" },
    select: { workspaceId: true, userId: true },
  });
  if (!membership) throw new AppError("not_found", `No workspace for ${email}.`);
  return debit({ workspaceId: membership.workspaceId, actionKey: action, quantity, actor: { userId: membership.userId } });
});
