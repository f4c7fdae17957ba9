import { apiRoute } from "@/lib/api/v1";
import { checkEntitlement } from "@/lib/teams/entitlements";
import { entitlementCheckBody } from "@/lib/teams/schemas";

/** Dry run: would the plan allow this many (e.g. a 6th artist)? 200 with allowed true/false; writes nothing. */
export const POST = apiRoute({ limit: "read", body: entitlementCheckBody }, async ({ workspaceId, body }) => ({
  status: 200,
  body: await checkEntitlement(workspaceId, body),
}));
