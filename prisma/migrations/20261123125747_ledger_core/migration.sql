-- DropIndex
DROP INDEX "UsageEvent_workspaceId_status_idx";

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "pendingPlanAt" TIMESTAMP(3),
ADD COLUMN     "pendingPlanId" TEXT;

-- AlterTable
ALTER TABLE "UsageEvent" ADD COLUMN     "actualCredits" INTEGER,
ADD COLUMN     "refundedAt" TIMESTAMP(3),
ADD COLUMN     "releasedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "UsageRollup" (
    "workspaceId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "category" "ActionCategory" NOT NULL,
    "credits" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UsageRollup_pkey" PRIMARY KEY ("workspaceId","day","category")
);

-- CreateIndex
CREATE INDEX "UsageEvent_workspaceId_status_createdAt_idx" ON "UsageEvent"("workspaceId", "status", "createdAt");

-- AddForeignKey
ALTER TABLE "UsageRollup" ADD CONSTRAINT "UsageRollup_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───── Hand-written: the ledger's hot path (docs/decisions/003-ledger-consistency.md) ─────

-- Spendable grants of a workspace: old, emptied grants drop out of every debit's scan.
CREATE INDEX "CreditGrant_spendable_idx" ON "CreditGrant" ("workspaceId") WHERE "remaining" > 0;
CREATE INDEX "UsageEvent_pending_hold_idx" ON "UsageEvent" ("workspaceId", "holdExpiresAt") WHERE "status" = 'PENDING';

-- Is period maintenance due for a workspace at p_at (lib/credits/maintenance.ts does it)? A pending
-- plan change has come, a grant has expired with credits left, a hold has expired, or a metered,
-- unpaused workspace has no allowance for the current period.
CREATE FUNCTION "credits_maintenance_due"(p_workspace_id text, p_at timestamp(3)) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
           SELECT 1 FROM "Workspace" ws JOIN "Plan" p ON p.id = ws."planId"
            WHERE ws.id = p_workspace_id
              AND (   (ws."pendingPlanAt" IS NOT NULL AND ws."pendingPlanAt" <= p_at)
                   OR (p."monthlyCredits" IS NOT NULL AND ws."subscriptionStatus" <> 'PAUSED'
                       AND NOT EXISTS (SELECT 1 FROM "CreditGrant" cg
                                        WHERE cg."workspaceId" = ws.id AND cg.type = 'SUBSCRIPTION' AND cg."expiresAt" > p_at))))
      OR EXISTS (SELECT 1 FROM "CreditGrant" cg WHERE cg."workspaceId" = p_workspace_id AND cg.remaining > 0 AND cg."expiresAt" <= p_at)
      OR EXISTS (SELECT 1 FROM "UsageEvent" e WHERE e."workspaceId" = p_workspace_id AND e.status = 'PENDING' AND e."holdExpiresAt" <= p_at)
$$;

-- One round trip per debit or reservation: lock, idempotency, price, allocation across grants in spend
-- order, grant updates, ledger entries, the event and its usage rollup. lib/credits/charge.ts is its
-- only caller and maps `outcome`. The spend order must match lib/credits/allocate.ts (property-tested).
-- Period maintenance (rollover, expiry, pending plan change, expired holds) stays in TypeScript: when
-- any is due, the function writes nothing and answers 'maintenance'; the caller runs it and calls again.
CREATE FUNCTION "credits_charge"(
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
  remaining               integer,
  policy                  text,
  billing_interval        text,
  period_anchor           timestamp(3),
  monthly_credits         integer
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  w          record;
  v_price    record;
  v_first    record;
  g          record;
  v_cost     bigint;
  v_total    integer;
  v_left     integer;
  v_take     integer;
  v_pending  integer;
  v_metered  boolean;
BEGIN
  -- Every change to a workspace's grants is made under this row lock: concurrent debits, holds,
  -- rollovers and grants of one workspace queue here, other workspaces are not blocked.
  SELECT ws."billingInterval"::text AS billing_interval, ws."periodAnchor", p."monthlyCredits"
    INTO w
    FROM "Workspace" ws JOIN "Plan" p ON p.id = ws."planId"
   WHERE ws.id = p_workspace_id
     FOR UPDATE OF ws;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_workspace', NULL::text, NULL::text, 0, 0, NULL::text, NULL::text, NULL::timestamp(3), NULL::integer;
    RETURN;
  END IF;
  v_metered := w."monthlyCredits" IS NOT NULL;

  IF "credits_maintenance_due"(p_workspace_id, p_at) THEN
    RETURN QUERY SELECT 'maintenance', NULL::text, NULL::text, 0, 0, NULL::text, w.billing_interval, w."periodAnchor", w."monthlyCredits";
    RETURN;
  END IF;

  SELECT coalesce(sum(cg.remaining), 0)::integer INTO v_total
    FROM "CreditGrant" cg
   WHERE cg."workspaceId" = p_workspace_id AND cg.remaining > 0 AND (cg."expiresAt" IS NULL OR cg."expiresAt" > p_at);

  -- Idempotency: the unique (workspaceId, idempotencyKey) index backs this check; under the lock no
  -- second request with the key can be between this read and the insert below.
  IF p_idempotency_key IS NOT NULL THEN
    SELECT e.id, e."actionKey", e.quantity, e.status::text AS status, e.credits INTO v_first
      FROM "UsageEvent" e
     WHERE e."workspaceId" = p_workspace_id AND e."idempotencyKey" = p_idempotency_key;
    IF FOUND THEN
      RETURN QUERY SELECT CASE WHEN v_first."actionKey" = p_action_key AND v_first.quantity = p_quantity THEN 'replayed' ELSE 'conflict' END,
        v_first.id, v_first.status, v_first.credits, v_total, NULL::text, w.billing_interval, w."periodAnchor", w."monthlyCredits";
      RETURN;
    END IF;
  END IF;

  SELECT ap.id, ap.category, ap.credits, ap."reserveCredits", ap.policy::text AS policy, ap.active INTO v_price
    FROM "ActionPrice" ap
   WHERE ap."actionKey" = p_action_key AND ap."effectiveFrom" <= p_at
   ORDER BY ap.version DESC
   LIMIT 1;
  IF NOT FOUND OR NOT v_price.active THEN
    RETURN QUERY SELECT 'unknown_action', NULL::text, NULL::text, 0, v_total, NULL::text, w.billing_interval, w."periodAnchor", w."monthlyCredits";
    RETURN;
  END IF;

  v_cost := CASE
    WHEN p_hold AND p_estimate IS NOT NULL THEN p_estimate
    WHEN p_hold THEN coalesce(v_price."reserveCredits", v_price.credits)::bigint * p_quantity
    ELSE v_price.credits::bigint * p_quantity END;
  IF v_cost > 2147483647 THEN
    RETURN QUERY SELECT 'too_large', NULL::text, NULL::text, 0, v_total, v_price.policy, w.billing_interval, w."periodAnchor", w."monthlyCredits";
    RETURN;
  END IF;

  IF p_hold AND p_api_client_id IS NOT NULL THEN
    SELECT count(*) INTO v_pending
      FROM "UsageEvent" e
     WHERE e."workspaceId" = p_workspace_id AND e.status = 'PENDING' AND e."apiClientId" = p_api_client_id;
    IF v_pending >= p_pending_limit THEN
      RETURN QUERY SELECT 'too_many_pending', NULL::text, NULL::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, w."periodAnchor", w."monthlyCredits";
      RETURN;
    END IF;
  END IF;

  IF v_metered AND v_total < v_cost THEN
    IF p_hold OR v_price.policy <> 'QUEUE' THEN
      -- A denial writes nothing and binds no idempotency key: the same key succeeds after a refill.
      RETURN QUERY SELECT 'denied', NULL::text, NULL::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, w."periodAnchor", w."monthlyCredits";
      RETURN;
    END IF;
    -- Queue policy: accepted, charged first-in first-out when credits are granted (lib/credits/queue.ts).
    INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits,
                              "idempotencyKey", subject, metadata, status, "createdAt")
    VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost,
            p_idempotency_key, p_subject, p_metadata, 'QUEUED', p_at);
    RETURN QUERY SELECT 'queued', p_event_id, 'QUEUED'::text, v_cost::integer, v_total, v_price.policy, w.billing_interval, w."periodAnchor", w."monthlyCredits";
    RETURN;
  END IF;

  INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits, unmetered,
                            "idempotencyKey", subject, metadata, status, "holdExpiresAt", "createdAt", "completedAt")
  VALUES (p_event_id, p_workspace_id, p_api_client_id, p_user_id, p_action_key, v_price.category, v_price.id, p_quantity, v_cost, NOT v_metered,
          p_idempotency_key, p_subject, p_metadata,
          CASE WHEN p_hold THEN 'PENDING' ELSE 'COMPLETED' END::"UsageStatus",
          CASE WHEN p_hold THEN p_hold_expires_at END, p_at, CASE WHEN p_hold THEN NULL ELSE p_at END);

  IF NOT v_metered THEN
    -- Enterprise: recorded with its cost, drawn from no grant, never denied for balance.
    IF NOT p_hold THEN
      INSERT INTO "LedgerEntry" ("workspaceId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
      VALUES (p_workspace_id, 0, 'UNMETERED', p_event_id, p_user_id, p_api_client_id, p_at);
    END IF;
  ELSE
    v_left := v_cost;
    -- Spend order: SUBSCRIPTION → BONUS → PURCHASED; soonest expiry first (never last); oldest; id.
    FOR g IN
      SELECT cg.id, cg.remaining FROM "CreditGrant" cg
       WHERE cg."workspaceId" = p_workspace_id AND cg.remaining > 0 AND (cg."expiresAt" IS NULL OR cg."expiresAt" > p_at)
       ORDER BY CASE cg.type WHEN 'SUBSCRIPTION' THEN 0 WHEN 'BONUS' THEN 1 ELSE 2 END,
                cg."expiresAt" ASC NULLS LAST, cg."createdAt" ASC, cg.id COLLATE "C" ASC
    LOOP
      EXIT WHEN v_left = 0;
      v_take := least(v_left, g.remaining);
      UPDATE "CreditGrant" SET remaining = remaining - v_take WHERE id = g.id;
      INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
      VALUES (p_workspace_id, g.id, -v_take, CASE WHEN p_hold THEN 'HOLD' ELSE 'DEBIT' END::"LedgerKind", p_event_id, p_user_id, p_api_client_id, p_at);
      v_left := v_left - v_take;
    END LOOP;
  END IF;

  IF NOT p_hold THEN
    INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
    VALUES (p_workspace_id, p_at::date, v_price.category, v_cost, 1)
    ON CONFLICT ("workspaceId", day, category)
    DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + 1;
  END IF;

  RETURN QUERY SELECT CASE WHEN p_hold THEN 'held' ELSE 'charged' END, p_event_id,
    CASE WHEN p_hold THEN 'PENDING' ELSE 'COMPLETED' END, v_cost::integer,
    CASE WHEN v_metered THEN v_total - v_cost::integer ELSE v_total END,
    v_price.policy, w.billing_interval, w."periodAnchor", w."monthlyCredits";
END;
$$;
