-- CreateEnum
CREATE TYPE "AutoTopUpStatus" AS ENUM ('PENDING', 'CHARGING', 'SUCCEEDED', 'DECLINED', 'SKIPPED', 'FAILED');

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "autoTopUpThreshold" INTEGER;

-- CreateTable
CREATE TABLE "AutoTopUp" (
    "workspaceId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "thresholdCredits" INTEGER NOT NULL DEFAULT 100,
    "packId" TEXT NOT NULL DEFAULT 'starter_1000',
    "monthlyCap" INTEGER NOT NULL DEFAULT 3,
    "cooldownMinutes" INTEGER NOT NULL DEFAULT 10,
    "paymentMethodId" TEXT,
    "cardBrand" TEXT,
    "cardLast4" TEXT,
    "disabledAt" TIMESTAMP(3),
    "disabledReason" TEXT,
    "noticeDismissedAt" TIMESTAMP(3),
    "updatedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutoTopUp_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "AutoTopUpAttempt" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "status" "AutoTopUpStatus" NOT NULL DEFAULT 'PENDING',
    "usageEventId" TEXT,
    "thresholdCredits" INTEGER NOT NULL,
    "balanceBefore" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "packId" TEXT,
    "credits" INTEGER,
    "amountCents" INTEGER,
    "paymentIntentId" TEXT,
    "reason" TEXT,
    "tries" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" TIMESTAMP(3),
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "AutoTopUpAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEventCursor" (
    "id" TEXT NOT NULL,
    "createdBefore" INTEGER NOT NULL DEFAULT 0,
    "lastEventId" TEXT,
    "lastRunAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StripeEventCursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AutoTopUpAttempt_usageEventId_key" ON "AutoTopUpAttempt"("usageEventId");

-- CreateIndex
CREATE UNIQUE INDEX "AutoTopUpAttempt_paymentIntentId_key" ON "AutoTopUpAttempt"("paymentIntentId");

-- CreateIndex
CREATE INDEX "AutoTopUpAttempt_workspaceId_createdAt_idx" ON "AutoTopUpAttempt"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "AutoTopUpAttempt_status_createdAt_idx" ON "AutoTopUpAttempt"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "AutoTopUp" ADD CONSTRAINT "AutoTopUp_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoTopUpAttempt" ADD CONSTRAINT "AutoTopUpAttempt_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───── Hand-written ─────
-- At most one auto top-up in flight per workspace: however many crossings race (a refund lifts the
-- balance, another debit crosses again), a second PENDING or CHARGING row is refused.
CREATE UNIQUE INDEX "AutoTopUpAttempt_one_in_flight" ON "AutoTopUpAttempt" ("workspaceId") WHERE status IN ('PENDING', 'CHARGING');

-- credits_charge v4: v3 (20261123141000_workspace_advisory_lock) plus the auto top-up crossing, recorded
-- in the debit's own transaction. Same signature, so every caller (and credits_charge_batch) is unchanged.
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
  p_pending_limit   integer        -- max PENDING reservations of this API client in this workspace
) RETURNS TABLE (
  outcome                 text,    -- charged | held | queued | denied | replayed | conflict | maintenance
                                   -- | unknown_action | too_large | too_many_pending | unknown_workspace
  event_id                text,
  event_status            text,
  credits                 integer,
  remaining               bigint,
  policy                  text,
  billing_interval        text,
  period_anchor           text,      -- ISO 8601 UTC, so no driver has to guess a time zone
  monthly_credits         integer
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
BEGIN
  -- Every change to a workspace's grants is made under this lock (lib/credits/ledger.ts lockWorkspace
  -- takes the same one): a transaction-scoped advisory lock on the workspace id. Concurrent debits,
  -- holds, rollovers and grants of one workspace queue here; other workspaces are not blocked. Unlike a
  -- row lock it writes nothing to the table or the WAL.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_workspace_id, 0));
  SELECT ws."billingInterval"::text AS billing_interval, ws."periodAnchor", ws."pendingPlanAt",
         ws."subscriptionStatus"::text AS status, p."monthlyCredits", ws."autoTopUpThreshold" AS top_up_at,
         EXISTS (SELECT 1 FROM "UsageEvent" e
                  WHERE e."workspaceId" = p_workspace_id AND e.status = 'PENDING' AND e."holdExpiresAt" <= p_at) AS hold_expired
    INTO w
    FROM "Workspace" ws JOIN "Plan" p ON p.id = ws."planId"
   WHERE ws.id = p_workspace_id;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_workspace', NULL::text, NULL::text, 0, 0::bigint, NULL::text, NULL::text, NULL::text, NULL::integer;
    RETURN;
  END IF;
  v_metered := w."monthlyCredits" IS NOT NULL;
  v_anchor := to_char(w."periodAnchor", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

  -- One pass over the workspace's grants: is this period's allowance there, has anything expired with
  -- credits left, and what is spendable now. (No index covers `remaining`, so the updates below are
  -- HOT: they write no index entries.)
  SELECT coalesce(bool_or(cg.type = 'SUBSCRIPTION' AND cg."expiresAt" > p_at), false),
         coalesce(bool_or(cg.remaining > 0 AND cg."expiresAt" <= p_at), false),
         coalesce(sum(cg.remaining) FILTER (WHERE cg."expiresAt" IS NULL OR cg."expiresAt" > p_at), 0)
    INTO v_has_sub, v_expired, v_total
    FROM "CreditGrant" cg
   WHERE cg."workspaceId" = p_workspace_id;

  -- The same conditions as credits_maintenance_due, from the row already locked and the pass above.
  IF (w."pendingPlanAt" IS NOT NULL AND w."pendingPlanAt" <= p_at)
     OR (v_metered AND w.status <> 'PAUSED' AND NOT v_has_sub)
     OR v_expired
     OR w.hold_expired
  THEN
    RETURN QUERY SELECT 'maintenance', NULL::text, NULL::text, 0, 0::bigint, NULL::text, w.billing_interval, v_anchor, w."monthlyCredits";
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
        v_first.id, v_first.status, v_first.credits, v_total, NULL::text, w.billing_interval, v_anchor, w."monthlyCredits";
      RETURN;
    END IF;
  END IF;

  SELECT ap.id, ap.category, ap.credits, ap."reserveCredits", ap.policy::text AS policy, ap.active INTO v_price
    FROM "ActionPrice" ap
   WHERE ap."actionKey" = p_action_key AND ap."effectiveFrom" <= p_at
   ORDER BY ap.version DESC
   LIMIT 1;
  IF NOT FOUND OR NOT v_price.active THEN
    RETURN QUERY SELECT 'unknown_action', NULL::text, NULL::text, 0, v_total, NULL::text, w.billing_interval, v_anchor, w."monthlyCredits";
    RETURN;
  END IF;

  v_cost := CASE
    WHEN p_hold AND p_estimate IS NOT NULL THEN p_estimate
    WHEN p_hold THEN coalesce(v_price."reserveCredits", v_price.credits)::bigint * p_quantity
    ELSE v_price.credits::bigint * p_quantity END;
  IF v_cost > 2147483647 THEN
    RETURN QUERY SELECT 'too_large', NULL::text, NULL::text, 0, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits";
    RETURN;
  END IF;

  IF p_hold AND p_api_client_id IS NOT NULL THEN
    SELECT count(*) INTO v_pending
      FROM "UsageEvent" e
     WHERE e."workspaceId" = p_workspace_id AND e.status = 'PENDING' AND e."apiClientId" = p_api_client_id;
    IF v_pending >= p_pending_limit THEN
      RETURN QUERY SELECT 'too_many_pending', NULL::text, NULL::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits";
      RETURN;
    END IF;
  END IF;

  IF v_metered AND v_total < v_cost THEN
    IF p_hold OR v_price.policy <> 'QUEUE' THEN
      -- A denial writes nothing and binds no idempotency key: the same key succeeds after a refill.
      RETURN QUERY SELECT 'denied', NULL::text, NULL::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits";
      RETURN;
    END IF;
    -- Queue policy: accepted, charged first-in first-out when credits are granted (lib/credits/queue.ts).
    INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits,
                              "idempotencyKey", subject, metadata, status, "createdAt")
    VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost,
            p_idempotency_key, p_subject, p_metadata, 'QUEUED', p_at);
    RETURN QUERY SELECT 'queued', p_event_id, 'QUEUED'::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits";
    RETURN;
  END IF;

  IF NOT v_metered THEN
    -- Enterprise: recorded with its cost, drawn from no grant, never denied for balance.
    INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits, unmetered,
                              "idempotencyKey", subject, metadata, status, "holdExpiresAt", "createdAt", "completedAt")
    VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost, true,
            p_idempotency_key, p_subject, p_metadata,
            CASE WHEN p_hold THEN 'PENDING' ELSE 'COMPLETED' END::"UsageStatus",
            CASE WHEN p_hold THEN p_hold_expires_at END, p_at, CASE WHEN p_hold THEN NULL ELSE p_at END);
    IF NOT p_hold THEN
      INSERT INTO "LedgerEntry" ("workspaceId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
      VALUES (p_workspace_id, 0, 'UNMETERED', p_event_id, p_user_id, p_api_client_id, p_at);
      INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
      VALUES (p_workspace_id, p_at::date, v_price.category, v_cost, 1)
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
               WHERE cg."workspaceId" = p_workspace_id AND cg.remaining > 0 AND (cg."expiresAt" IS NULL OR cg."expiresAt" > p_at)
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
              CASE WHEN p_hold THEN p_hold_expires_at END, p_at, CASE WHEN p_hold THEN NULL ELSE p_at END)
    ), entries AS (
      INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
      SELECT p_workspace_id, t.id, -t.take, CASE WHEN p_hold THEN 'HOLD' ELSE 'DEBIT' END::"LedgerKind", p_event_id, p_user_id, p_api_client_id, p_at
        FROM taken t
       ORDER BY t.rn
    )
    INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
    SELECT p_workspace_id, p_at::date, v_price.category, v_cost, 1
     WHERE NOT p_hold
    ON CONFLICT ("workspaceId", day, category)
    DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + 1;

    -- Auto top-up (docs/decisions/007-auto-top-up.md): this debit (or hold) took the spendable balance
    -- from at or above the threshold to below it. Record the crossing in this transaction; a job charges
    -- the card later (the ledger never calls Stripe). Debits of a workspace run one at a time under the
    -- advisory lock above, so exactly one of any number of concurrent debits sees this crossing; the
    -- unique usageEventId and the partial unique index (one PENDING/CHARGING attempt per workspace) make
    -- a second row impossible anyway: ON CONFLICT DO NOTHING. Workspaces without auto top-up stop at the
    -- NULL test, on a column of the row read above.
    IF w.top_up_at IS NOT NULL AND v_total >= w.top_up_at AND v_total - v_cost < w.top_up_at THEN
      INSERT INTO "AutoTopUpAttempt" (id, "workspaceId", status, "usageEventId", "thresholdCredits", "balanceBefore", "balanceAfter", "createdAt")
      VALUES ('atu_' || p_event_id, p_workspace_id, 'PENDING', p_event_id, w.top_up_at,
              least(v_total, 2147483647)::integer, least(v_total - v_cost, 2147483647)::integer, p_at)
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
    v_price.policy, w.billing_interval, v_anchor, w."monthlyCredits";
END;
$$;
