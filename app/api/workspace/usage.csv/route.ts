import { withSession } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { usageCsvFilename, usageCsvStream } from "@/lib/usage/csv";
import { historyActions } from "@/lib/usage/history";
import { parseHistoryQuery } from "@/lib/usage/params";
import { attributionIds, usageAttribution } from "@/lib/usage/attribution";

export const dynamic = "force-dynamic";

/** The current workspace's usage history as CSV, with the page's filters (from, to, action, status, member, key), streamed. */
export const GET = withSession(async (req, { workspace }) => {
  const [actions, attribution] = await Promise.all([historyActions(), usageAttribution(workspace.id)]);
  const query = parseHistoryQuery(
    new URL(req.url).searchParams,
    actions.map((a) => a.key),
    attributionIds(attribution),
  );
  // A value that cannot be used is refused (the page leaves it out and says so); a range that is merely
  // empty ("to" before "from") exports just the header, as the page shows no rows.
  const problem = query.problems.find((p) => p.field !== "cursor" && !query.applied[p.field]);
  if (problem) throw new AppError("invalid_request", problem.message, { details: { field: problem.field } });
  return new Response(usageCsvStream(workspace.id, query.filters, undefined, attribution), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${usageCsvFilename(workspace, now())}"`,
      "Cache-Control": "no-store",
    },
  });
});
