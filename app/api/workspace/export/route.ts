import { withSession } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { exportFilename, workspaceJsonStream } from "@/lib/accounts/export";

export const dynamic = "force-dynamic";

/** Owners: everything about the current workspace as one JSON document, streamed. */
export const GET = withSession(
  async (_req, { workspace }) => {
    const at = now();
    return new Response(workspaceJsonStream(workspace.id, at), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${exportFilename("export", workspace.id, at, "json")}"`,
        "Cache-Control": "no-store",
      },
    });
  },
  { role: "OWNER" },
);
