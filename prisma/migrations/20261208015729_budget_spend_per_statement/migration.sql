-- BudgetSpend for new usage events once per INSERT statement, summed per workspace, subject and day
-- (prisma/sql/usage_event_budget_spend_inserted.sql): a group commit's multi-row insert of events
-- (credits_track_batch's set-based charges) writes each BudgetSpend row once. Updates keep the row trigger.

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

DROP TRIGGER "UsageEvent_budget_spend" ON "UsageEvent";
CREATE TRIGGER "UsageEvent_budget_spend" AFTER UPDATE OF status, credits ON "UsageEvent"
  FOR EACH ROW EXECUTE FUNCTION "usage_event_budget_spend"();
CREATE TRIGGER "UsageEvent_budget_spend_insert" AFTER INSERT ON "UsageEvent"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "usage_event_budget_spend_inserted"();
