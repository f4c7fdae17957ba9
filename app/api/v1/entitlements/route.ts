import { apiRoute } from "@/lib/api/v1";
import { workspaceEntitlements } from "@/lib/teams/entitlements";

/** The workspace's plan limits: seats (with how many are used) and every named entitlement (null = unlimited). */
export const GET = apiRoute({ limit: "read" }, async ({ workspaceId }) => ({
  status: 200,
  body: await workspaceEntitlements(workspaceId),
}));
