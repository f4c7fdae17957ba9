-- The operator overview reads today's usage events through the BRIN index on "createdAt". A BRIN index only
-- helps for block ranges that have a summary, and new ranges (today's, exactly the ones read) get one only
-- when something summarizes them: measured at 1M events, an unsummarized index made the scan read the
-- whole table (117 ms instead of 8 ms). autosummarize asks autovacuum to summarize each range as soon as
-- inserts move past it; the jobs sweep also calls brin_summarize_new_values every minute
-- (lib/admin/overview.ts summarizeUsageTimeIndex), so it holds where autovacuum is slow or off.
ALTER INDEX "UsageEvent_createdAt_idx" SET (autosummarize = on);
