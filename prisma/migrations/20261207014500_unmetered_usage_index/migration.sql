-- The billing panel shows calls paid with x402 apart from credits used (issue 18): it sums a period's
-- completed unmetered events on every balance read. This partial index holds only those events, so the
-- sum costs nothing for workspaces that never paid per call, whatever their usage.
CREATE INDEX "UsageEvent_unmetered_completed_idx" ON "UsageEvent" ("workspaceId", "createdAt") WHERE "unmetered" AND "status" = 'COMPLETED';
