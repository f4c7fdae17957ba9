import { withSession } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { exportFilename, ledgerCsvStream } from "@/lib/accounts/export";

export const dynamic = "force-dynamic";

/** Owners: the current workspace's ledger as CSV, one row per entry, streamed. */
export const GET = withSession(
  async (_req, { workspace }) =>
    new Response(ledgerCsvStream(workspace.id), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${exportFilename("ledger", workspace.id, now(), "csv")}"`,
        "Cache-Control": "no-store",
      },
    }),
  { role: "OWNER" },
);
