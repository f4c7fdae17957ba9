import { apiRoute } from "@/lib/api/v1";
import { getBalance } from "@/lib/credits";
import { balanceJson } from "@/lib/metering/responses";

/** Remaining by type, used this period, held, reset date and the breakdown by category. */
export const GET = apiRoute({ limit: "read" }, async ({ workspaceId }) => ({ status: 200, body: balanceJson(await getBalance(workspaceId)) }));
