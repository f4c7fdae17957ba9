-- Credit budgets per workspace, API key and member (issue 22; docs/decisions/018-budgets.md).
-- Generated part (npm run db:diff), then the hand-written part below it.

-- CreateEnum
CREATE TYPE "BudgetScope" AS ENUM ('WORKSPACE', 'API_KEY', 'MEMBER');

-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('DAY', 'WEEK', 'MONTH', 'NONE');

-- CreateEnum
CREATE TYPE "BudgetMode" AS ENUM ('HARD', 'SOFT');

-- CreateTable
CREATE TABLE "Budget" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "scope" "BudgetScope" NOT NULL,
    "subject" TEXT NOT NULL,
    "apiClientId" TEXT,
    "userId" TEXT,
    "period" "BudgetPeriod" NOT NULL,
    "mode" "BudgetMode" NOT NULL DEFAULT 'HARD',
    "limitCredits" INTEGER,
    "limitPercent" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "UsageEvent" ADD COLUMN     "rejectedBudgetId" TEXT;

-- CreateTable
CREATE TABLE "BudgetSpend" (
    "workspaceId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "credits" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "BudgetSpend_pkey" PRIMARY KEY ("workspaceId","subject","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "Budget_workspaceId_subject_key" ON "Budget"("workspaceId", "subject");

-- AddForeignKey
ALTER TABLE "Budget" ADD CONSTRAINT "Budget_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Budget" ADD CONSTRAINT "Budget_apiClientId_fkey" FOREIGN KEY ("apiClientId") REFERENCES "ApiClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Budget" ADD CONSTRAINT "Budget_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetSpend" ADD CONSTRAINT "BudgetSpend_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───── Hand-written ─────

-- A budget names its subject once: the workspace, one of its keys or one of its members; a limit in
-- credits or (workspace budgets only) a percentage of the plan's allowance.
ALTER TABLE "Budget" ADD CONSTRAINT "Budget_subject_check" CHECK (
  (scope = 'WORKSPACE' AND subject = 'workspace' AND "apiClientId" IS NULL AND "userId" IS NULL)
  OR (scope = 'API_KEY' AND "apiClientId" IS NOT NULL AND subject = 'key:' || "apiClientId" AND "userId" IS NULL)
  OR (scope = 'MEMBER' AND "userId" IS NOT NULL AND subject = 'member:' || "userId" AND "apiClientId" IS NULL));
ALTER TABLE "Budget" ADD CONSTRAINT "Budget_limit_check" CHECK (
  ("limitCredits" IS NOT NULL AND "limitPercent" IS NULL AND "limitCredits" >= 0)
  OR ("limitCredits" IS NULL AND "limitPercent" IS NOT NULL AND scope = 'WORKSPACE' AND "limitPercent" BETWEEN 1 AND 1000));

-- What every existing event counts, so a budget set today sees today's spend.
INSERT INTO "BudgetSpend" ("workspaceId", subject, day, credits)
SELECT e."workspaceId", s.subject, e."createdAt"::date, sum(e.credits)
  FROM "UsageEvent" e
 CROSS JOIN LATERAL unnest(ARRAY['workspace', 'key:' || e."apiClientId", 'member:' || e."userId"]) AS s(subject)
 WHERE e.status IN ('COMPLETED', 'PENDING', 'QUEUED') AND s.subject IS NOT NULL
 GROUP BY e."workspaceId", s.subject, e."createdAt"::date;

-- From prisma/sql/usage_event_budget_spend.sql
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

CREATE TRIGGER "UsageEvent_budget_spend" AFTER INSERT OR UPDATE OF status, credits ON "UsageEvent"
  FOR EACH ROW EXECUTE FUNCTION "usage_event_budget_spend"();

-- From prisma/sql/budget_status.sql
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

-- From prisma/sql/credits_charge.sql: hard budgets checked before the balance ('budget_exceeded').
CREATE OR REPLACE FUNCTION "credits_charge"(
  p_workspace_id    text,
  p_event_id        text,
  p_action_key      text,
  p_quantity        integer,
  p_idempotency_key text,
  p_subject         text,
  p_metadata        jsonb,
  p_user_id         text,
  p_api_client_id   text,
  p_at              timestamp(3),
  p_hold            boolean,       -- true: a reservation (HOLD entries, PENDING event)
  p_estimate        integer,       -- a reservation's hold; null = the action's reserve price × quantity
  p_hold_expires_at timestamp(3),
  p_pending_limit   integer,       -- max PENDING reservations of this API client in this workspace
  p_clock           boolean        -- true: p_at is the caller's clock read just before the call; the event's
                                   -- time is p_at plus the time spent waiting for the workspace lock
) RETURNS TABLE (
  outcome                 text,    -- charged | held | queued | denied | replayed | conflict | maintenance
                                   -- | unknown_action | too_large | too_many_pending | unknown_workspace
                                   -- | budget_exceeded (event_id: the budget's id)
  event_id                text,
  event_status            text,
  credits                 integer,
  remaining               bigint,
  policy                  text,
  billing_interval        text,
  period_anchor           text,      -- ISO 8601 UTC, so no driver has to guess a time zone
  monthly_credits         integer,
  at                      text       -- the event's time (ISO 8601 UTC): p_at, moved past the lock wait
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  w          record;
  v_price    record;
  v_first    record;
  v_cost     bigint;
  v_total    bigint;
  v_has_sub  boolean;
  v_expired  boolean;
  v_anchor   text;
  v_pending  integer;
  v_metered  boolean;
  v_asked    timestamptz;
  v_at       timestamp(3);
  v_hold_expires_at timestamp(3);
  v_at_text  text;
  v_due      boolean;
  v_budget_id text;
BEGIN
  -- Every change to a workspace's grants is made under this lock (lib/credits/ledger.ts lockWorkspace
  -- takes the same one): a transaction-scoped advisory lock on the workspace id. Concurrent debits,
  -- holds, rollovers and grants of one workspace queue here; other workspaces are not blocked. Unlike a
  -- row lock it writes nothing to the table or the WAL.
  v_asked := clock_timestamp();
  PERFORM pg_advisory_xact_lock(hashtextextended(p_workspace_id, 0));
  -- The event's time is taken now that the lock is held, not before the wait: an event that queued
  -- behind a rollover is dated in the period whose allowance it is charged to. The caller's clock stays
  -- the source (test mode moves it; every instance dates by its own clock), moved forward by the whole
  -- milliseconds this call waited here. Imports and backdated events (p_clock false) keep their time.
  v_at := CASE WHEN p_clock
               THEN p_at + date_trunc('milliseconds', clock_timestamp() - v_asked)
               ELSE p_at END;
  v_hold_expires_at := p_hold_expires_at + (v_at - p_at);
  v_at_text := to_char(v_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  SELECT ws."billingInterval"::text AS billing_interval, ws."periodAnchor", ws."pendingPlanAt",
         ws."subscriptionStatus"::text AS status, p."monthlyCredits", ws."autoTopUpThreshold" AS top_up_at,
         ws."pastDueSince" AS past_due_since,
         EXISTS (SELECT 1 FROM "UsageEvent" e
                  WHERE e."workspaceId" = p_workspace_id AND e.status = 'PENDING' AND e."holdExpiresAt" <= v_at) AS hold_expired
    INTO w
    FROM "Workspace" ws JOIN "Plan" p ON p.id = ws."planId"
   WHERE ws.id = p_workspace_id;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_workspace', NULL::text, NULL::text, 0, 0::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, v_at_text;
    RETURN;
  END IF;
  v_metered := w."monthlyCredits" IS NOT NULL;
  v_anchor := to_char(w."periodAnchor", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

  -- One pass over the workspace's grants: is this period's allowance there, has anything expired with
  -- credits left, and what is spendable now. (No index covers `remaining`, so the updates below are
  -- HOT: they write no index entries.)
  SELECT coalesce(bool_or(cg.type = 'SUBSCRIPTION' AND cg."expiresAt" > v_at), false),
         coalesce(bool_or(cg.remaining > 0 AND cg."expiresAt" <= v_at), false),
         coalesce(sum(cg.remaining) FILTER (WHERE cg."expiresAt" IS NULL OR cg."expiresAt" > v_at), 0)
    INTO v_has_sub, v_expired, v_total
    FROM "CreditGrant" cg
   WHERE cg."workspaceId" = p_workspace_id;

  -- The same conditions as credits_maintenance_due, from the row already locked and the pass above.
  IF (w."pendingPlanAt" IS NOT NULL AND w."pendingPlanAt" <= v_at)
     OR (v_metered AND w.status <> 'PAUSED' AND NOT v_has_sub)
     OR v_expired
     OR w.hold_expired
     -- The payment timeline (lib/credits/standing.ts): a past-due workspace 7 days on is paused (its
     -- allowance frozen), 30 days on back on Free. Enforced here, at the debit, not only by the sweep.
     OR (w.past_due_since IS NOT NULL AND w.status IN ('PAST_DUE', 'PAUSED')
         AND (v_at - w.past_due_since >= interval '30 days'
              OR (w.status = 'PAST_DUE' AND v_at - w.past_due_since >= interval '7 days')))
  THEN
    RETURN QUERY SELECT 'maintenance', NULL::text, NULL::text, 0, 0::bigint, NULL::text, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
    RETURN;
  END IF;

  -- Idempotency: the unique (workspaceId, idempotencyKey) index backs this check; under the lock no
  -- second request with the key can be between this read and the insert below.
  IF p_idempotency_key IS NOT NULL THEN
    SELECT e.id, e."actionKey", e.quantity, e.status::text AS status, e.credits INTO v_first
      FROM "UsageEvent" e
     WHERE e."workspaceId" = p_workspace_id AND e."idempotencyKey" = p_idempotency_key;
    IF FOUND THEN
      RETURN QUERY SELECT CASE WHEN v_first."actionKey" = p_action_key AND v_first.quantity = p_quantity THEN 'replayed' ELSE 'conflict' END,
        v_first.id, v_first.status, v_first.credits, v_total, NULL::text, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
      RETURN;
    END IF;
  END IF;

  SELECT ap.id, ap.category, ap.credits, ap."reserveCredits", ap.policy::text AS policy, ap.active INTO v_price
    FROM "ActionPrice" ap
   WHERE ap."actionKey" = p_action_key AND ap."effectiveFrom" <= v_at
   ORDER BY ap.version DESC
   LIMIT 1;
  IF NOT FOUND OR NOT v_price.active THEN
    RETURN QUERY SELECT 'unknown_action', NULL::text, NULL::text, 0, v_total, NULL::text, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
    RETURN;
  END IF;

  v_cost := CASE
    WHEN p_hold AND p_estimate IS NOT NULL THEN p_estimate
    WHEN p_hold THEN coalesce(v_price."reserveCredits", v_price.credits)::bigint * p_quantity
    ELSE v_price.credits::bigint * p_quantity END;
  IF v_cost > 2147483647 THEN
    RETURN QUERY SELECT 'too_large', NULL::text, NULL::text, 0, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
    RETURN;
  END IF;

  IF p_hold AND p_api_client_id IS NOT NULL THEN
    SELECT count(*) INTO v_pending
      FROM "UsageEvent" e
     WHERE e."workspaceId" = p_workspace_id AND e.status = 'PENDING' AND e."apiClientId" = p_api_client_id;
    IF v_pending >= p_pending_limit THEN
      RETURN QUERY SELECT 'too_many_pending', NULL::text, NULL::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
      RETURN;
    END IF;
  END IF;

  -- Hard budgets (docs/decisions/018-budgets.md) of the workspace, this API key and this member: a call
  -- that would pass one is refused — before the balance, and never queued — naming the budget with the
  -- least left. BudgetSpend is written under this lock (usage_event_budget_spend), so concurrent calls pass
  -- a budget exactly up to its limit. A refusal moves no credit. Zero-cost calls always pass.
  IF v_cost > 0 THEN
    SELECT bs.id INTO v_budget_id
      FROM "budget_status"(p_workspace_id, v_at) bs
     WHERE bs.mode = 'HARD' AND bs.credit_limit IS NOT NULL
       AND bs.subject IN ('workspace', 'key:' || p_api_client_id, 'member:' || p_user_id)
       AND bs.spent + v_cost > bs.credit_limit
     ORDER BY bs.credit_limit - bs.spent, bs.id
     LIMIT 1;
    IF v_budget_id IS NOT NULL THEN
      -- Recorded as a REJECTED event (nothing charged, no idempotency key bound, counted by no budget)
      -- so the usage history shows the refusal beside the calls that went through.
      INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits,
                                subject, metadata, status, "createdAt", "rejectedBudgetId")
      VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost,
              p_subject, p_metadata, 'REJECTED', v_at, v_budget_id);
      RETURN QUERY SELECT 'budget_exceeded', v_budget_id, NULL::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
      RETURN;
    END IF;
  END IF;

  IF v_metered AND v_total < v_cost THEN
    IF p_hold OR v_price.policy <> 'QUEUE' THEN
      -- A denial writes nothing and binds no idempotency key: the same key succeeds after a refill.
      RETURN QUERY SELECT 'denied', NULL::text, NULL::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
      RETURN;
    END IF;
    -- Queue policy: accepted, charged first-in first-out when credits are granted (lib/credits/queue.ts).
    INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits,
                              "idempotencyKey", subject, metadata, status, "createdAt")
    VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost,
            p_idempotency_key, p_subject, p_metadata, 'QUEUED', v_at);
    RETURN QUERY SELECT 'queued', p_event_id, 'QUEUED'::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
    RETURN;
  END IF;

  IF NOT v_metered THEN
    -- Enterprise: recorded with its cost, drawn from no grant, never denied for balance.
    INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits, unmetered,
                              "idempotencyKey", subject, metadata, status, "holdExpiresAt", "createdAt", "completedAt")
    VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost, true,
            p_idempotency_key, p_subject, p_metadata,
            CASE WHEN p_hold THEN 'PENDING' ELSE 'COMPLETED' END::"UsageStatus",
            CASE WHEN p_hold THEN v_hold_expires_at END, v_at, CASE WHEN p_hold THEN NULL ELSE v_at END);
    IF NOT p_hold THEN
      INSERT INTO "LedgerEntry" ("workspaceId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
      VALUES (p_workspace_id, 0, 'UNMETERED', p_event_id, p_user_id, p_api_client_id, v_at);
      INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
      VALUES (p_workspace_id, v_at::date, v_price.category, v_cost, 1)
      ON CONFLICT ("workspaceId", day, category)
      DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + 1;
    END IF;
  ELSE
    -- One statement: the event, the allocation across grants in spend order (SUBSCRIPTION → BONUS →
    -- PURCHASED; soonest expiry first, never last; oldest; id), the grant updates, one ledger entry per
    -- grant drawn on (in spend order, which commits of holds rely on) and the day's usage rollup.
    WITH alloc AS (
      SELECT cg.id, rn,
             least(cg.remaining, greatest(0, v_cost - (running - cg.remaining)))::integer AS take
        FROM (SELECT cg.*, row_number() OVER spend AS rn, sum(cg.remaining) OVER spend AS running
                FROM "CreditGrant" cg
               WHERE cg."workspaceId" = p_workspace_id AND cg.remaining > 0 AND (cg."expiresAt" IS NULL OR cg."expiresAt" > v_at)
              WINDOW spend AS (ORDER BY CASE cg.type WHEN 'SUBSCRIPTION' THEN 0 WHEN 'BONUS' THEN 1 ELSE 2 END,
                                        cg."expiresAt" ASC NULLS LAST, cg."createdAt" ASC, cg.id COLLATE "C" ASC
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) cg
    ), taken AS (
      UPDATE "CreditGrant" g SET remaining = g.remaining - a.take
        FROM alloc a
       WHERE g.id = a.id AND a.take > 0
   RETURNING g.id, a.take, a.rn
    ), event AS (
      INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits, unmetered,
                                "idempotencyKey", subject, metadata, status, "holdExpiresAt", "createdAt", "completedAt")
      VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost, false,
              p_idempotency_key, p_subject, p_metadata,
              CASE WHEN p_hold THEN 'PENDING' ELSE 'COMPLETED' END::"UsageStatus",
              CASE WHEN p_hold THEN v_hold_expires_at END, v_at, CASE WHEN p_hold THEN NULL ELSE v_at END)
    ), entries AS (
      INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
      SELECT p_workspace_id, t.id, -t.take, CASE WHEN p_hold THEN 'HOLD' ELSE 'DEBIT' END::"LedgerKind", p_event_id, p_user_id, p_api_client_id, v_at
        FROM taken t
       ORDER BY t.rn
    )
    INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
    SELECT p_workspace_id, v_at::date, v_price.category, v_cost, 1
     WHERE NOT p_hold
    ON CONFLICT ("workspaceId", day, category)
    DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + 1;

    -- Auto top-up (docs/decisions/008-auto-top-up.md): this debit (or hold) took the spendable balance
    -- from at or above the threshold to below it. Record the crossing in this transaction; a job charges
    -- the card later (the ledger never calls Stripe). Debits of a workspace run one at a time under the
    -- advisory lock above, so exactly one of any number of concurrent debits sees this crossing; the
    -- unique usageEventId and the partial unique index (one PENDING/CHARGING attempt per workspace) make
    -- a second row impossible anyway: ON CONFLICT DO NOTHING. Workspaces without auto top-up stop at the
    -- NULL test, on a column of the row read above.
    IF w.top_up_at IS NOT NULL AND v_total >= w.top_up_at AND v_total - v_cost < w.top_up_at THEN
      INSERT INTO "AutoTopUpAttempt" (id, "workspaceId", status, "usageEventId", "thresholdCredits", "balanceBefore", "balanceAfter", "createdAt")
      VALUES ('atu_' || p_event_id, p_workspace_id, 'PENDING', p_event_id, w.top_up_at,
              least(v_total, 2147483647)::integer, least(v_total - v_cost, 2147483647)::integer, v_at)
      ON CONFLICT DO NOTHING;
      IF FOUND THEN
        -- Wakes the jobs worker at commit (lib/jobs): the charge goes out in seconds, not at the next minute.
        PERFORM pg_notify('auto_top_up', p_workspace_id);
      END IF;
    END IF;
  END IF;

  RETURN QUERY SELECT CASE WHEN p_hold THEN 'held' ELSE 'charged' END, p_event_id,
    CASE WHEN p_hold THEN 'PENDING' ELSE 'COMPLETED' END, v_cost::integer,
    CASE WHEN v_metered THEN v_total - v_cost ELSE v_total END,
    v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits", v_at_text;
END;
$$;
