-- BudgetSpend for new usage events, once per INSERT statement (docs/decisions/018-budgets.md): the same
-- sums as usage_event_budget_spend gives a new row — an event counts its credits while it is COMPLETED,
-- PENDING or QUEUED, for the workspace, its API key and its member, on the event's day — added up per
-- workspace, subject and day first, so a multi-row insert (credits_track_batch's set-based calls) writes
-- each BudgetSpend row once instead of once per event. Changes to existing events (a commit, a release,
-- a refund) stay with the row trigger usage_event_budget_spend.
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "usage_event_budget_spend_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "BudgetSpend" ("workspaceId", subject, day, credits)
  SELECT e."workspaceId", s.subject, e."createdAt"::date, sum(e.credits)
    FROM inserted e
   CROSS JOIN LATERAL unnest(ARRAY['workspace', 'key:' || e."apiClientId", 'member:' || e."userId"]) AS s(subject)
   WHERE e.status IN ('COMPLETED', 'PENDING', 'QUEUED') AND e.credits <> 0 AND s.subject IS NOT NULL
   GROUP BY e."workspaceId", s.subject, e."createdAt"::date
  ON CONFLICT ("workspaceId", subject, day) DO UPDATE SET credits = "BudgetSpend".credits + EXCLUDED.credits;
  RETURN NULL;
END;
$$;
