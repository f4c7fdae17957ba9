import { apiRoute } from "@/lib/api/v1";
import { getEvent } from "@/lib/metering/usage";

/** One event and its status (a queued event reports when it was charged). */
export const GET = apiRoute<never, { id: string }>({ limit: "read" }, async ({ workspaceId, params }) => ({
  status: 200,
  body: await getEvent(workspaceId, params.id),
}));
