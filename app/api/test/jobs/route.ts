import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { testOnlyRoute } from "@/lib/api/test-mode";
import { runAutoTopUps } from "@/lib/jobs/auto-top-up";

// Test mode only: run a background job now, as the jobs worker would (e2e runs the app without it).
// With `email`, only that user's workspaces: specs running in parallel do not settle each other's work.
const schema = z.strictObject({ job: z.enum(["auto-top-up"]), email: z.string().email().optional() });

export const POST = testOnlyRoute(schema, async ({ email }) => {
  if (!email) return runAutoTopUps();
  const memberships = await db.membership.findMany({ where: { user: { email: email.toLowerCase() } }, select: { workspaceId: true } });
  if (memberships.length === 0) throw new AppError("not_found", `No workspace for ${email}.`);
  return runAutoTopUps({ workspaceIds: memberships.map((m) => m.workspaceId) });
});
