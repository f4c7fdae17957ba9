-- Keeps BudgetSpend (the credits counted against budgets) in step with every usage event, in the
-- transaction that changes the event (docs/decisions/018-budgets.md). An event counts its credits while it
-- is COMPLETED (charged; a commit sets the actual amount), PENDING (a hold) or QUEUED (accepted, to be
-- charged when credits arrive); released, refunded and rejected events count nothing. So a hold counts
-- until it is committed, released or expires, and a refund gives the budget back — in the period of the
-- event's day. Counted for the workspace, the event's
-- API key and its member; unmetered (enterprise, x402-paid) events count too: a budget limits use, not
-- only the balance. Fired per row on UPDATE OF status, credits (trigger "UsageEvent_budget_spend"); new
-- events are counted per INSERT statement by usage_event_budget_spend_inserted, to the same sums.
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "usage_event_budget_spend"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_old   bigint := 0;
  v_new   bigint := 0;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IN ('COMPLETED', 'PENDING', 'QUEUED') THEN v_old := OLD.credits; END IF;
  IF NEW.status IN ('COMPLETED', 'PENDING', 'QUEUED') THEN v_new := NEW.credits; END IF;
  IF v_new = v_old THEN RETURN NULL; END IF;
  INSERT INTO "BudgetSpend" ("workspaceId", subject, day, credits)
  SELECT NEW."workspaceId", s.subject, NEW."createdAt"::date, v_new - v_old
    FROM unnest(ARRAY['workspace', 'key:' || NEW."apiClientId", 'member:' || NEW."userId"]) AS s(subject)
   WHERE s.subject IS NOT NULL
  ON CONFLICT ("workspaceId", subject, day) DO UPDATE SET credits = "BudgetSpend".credits + EXCLUDED.credits;
  RETURN NULL;
END;
$$;
