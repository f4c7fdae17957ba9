-- Every budget of a workspace at p_at: its limit in credits (a percentage budget: of the plan's monthly
-- allowance, none on an unmetered plan), what has been counted against it in the period containing p_at
-- (BudgetSpend, the period's days only), and the period's bounds — calendar UTC: a day, a week from Monday, a month; none for a
-- lifetime budget (docs/decisions/018-budgets.md). credits_charge checks hard budgets with it under the
-- workspace lock; the API and the portal read budgets through it (lib/budgets), so the two cannot differ.
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "budget_status"(p_workspace_id text, p_at timestamp(3)) RETURNS TABLE (
  id            text,
  scope         text,
  subject       text,
  api_client_id text,
  user_id       text,
  period        text,
  mode          text,
  credit_limit  bigint,    -- null: no limit now (a percentage budget on an unmetered plan)
  limit_percent integer,
  spent         bigint,
  period_start  timestamp(3),
  period_end    timestamp(3)
) LANGUAGE sql STABLE AS $$
  SELECT b.id, b.scope::text, b.subject, b."apiClientId", b."userId", b.period::text, b.mode::text,
         CASE WHEN b."limitCredits" IS NOT NULL THEN b."limitCredits"::bigint
              ELSE floor(b."limitPercent"::numeric * p."monthlyCredits" / 100)::bigint END,
         b."limitPercent",
         coalesce((SELECT sum(s.credits) FROM "BudgetSpend" s
                    WHERE s."workspaceId" = b."workspaceId" AND s.subject = b.subject
                      AND (bounds.start IS NULL OR (s.day >= bounds.start::date AND s.day < bounds.end::date))), 0)::bigint,
         bounds.start,
         bounds.end
    FROM "Budget" b
    JOIN "Workspace" w ON w.id = b."workspaceId"
    JOIN "Plan" p ON p.id = w."planId"
   CROSS JOIN LATERAL (
     SELECT CASE b.period WHEN 'DAY' THEN date_trunc('day', p_at)
                          WHEN 'WEEK' THEN date_trunc('week', p_at)
                          WHEN 'MONTH' THEN date_trunc('month', p_at) END::timestamp(3) AS start
   ) period
   CROSS JOIN LATERAL (
     SELECT period.start,
            (period.start + CASE b.period WHEN 'DAY' THEN interval '1 day' WHEN 'WEEK' THEN interval '1 week' WHEN 'MONTH' THEN interval '1 month' END)::timestamp(3) AS "end"
   ) bounds
   WHERE b."workspaceId" = p_workspace_id
$$;
