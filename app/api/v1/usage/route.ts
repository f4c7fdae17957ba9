import { apiRoute } from "@/lib/api/v1";
import { listUsage } from "@/lib/metering/usage";
import { usageQuery } from "@/lib/metering/schemas";

/** The workspace's events, newest first; filter by time, action and status; cursor pagination. */
export const GET = apiRoute({ limit: "read" }, async ({ workspaceId, query }) => ({
  status: 200,
  body: await listUsage(workspaceId, usageQuery.parse(Object.fromEntries(query))),
}));
