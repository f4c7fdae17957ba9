import type { HistoryRow } from "@/lib/usage/history";
import { Card, CardHeader } from "@/components/ui/card";
import { HistoryTable } from "@/components/usage/history-table";

/** The newest usage events, as Settings → Usage lists them (without who caused them). */
export function RecentUsage({ rows }: { rows: HistoryRow[] }) {
  return (
    <Card aria-labelledby="recent-heading">
      <CardHeader id="recent-heading" title="Recent usage" description="The latest actions charged to this workspace, newest first." />
      {rows.length === 0 ? (
        <p className="px-6 py-5 text-sm text-slate-500">No usage yet. Actions appear here as you use the product.</p>
      ) : (
        <HistoryTable rows={rows} labels={null} />
      )}
    </Card>
  );
}
