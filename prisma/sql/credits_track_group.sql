-- Group commit's fast path (credits_track_batch; docs/decisions/017-metering-hot-path.md): consecutive
-- metering calls of one key on one workspace, charged with set-based statements — one key lookup, one
-- lock, one counter update, one pass over the grants, one insert each for the events, the ledger
-- entries and the day's rollup — when every call of the run would be charged in full, one after the
-- other: the key valid, the hourly cap not passed by the last call, no maintenance due, every action
-- priced and allowed, no reservation, no member named, no idempotency key seen before or twice, every
-- hard budget and the spendable balance covering the sum, no auto top-up threshold crossed, all calls
-- in one counter window and one UTC day. Then each call's answer and writes are what credits_track
-- gives it in turn: the same spend order over the grants, cut at each call's running sum (so the
-- ledger entries, the grants and the budgets' spend are the same), the counter at each call's count.
-- Every call is dated after the lock is held (its clock moved past the wait, as credits_track does).
-- Otherwise it answers no rows and writes nothing: the caller runs the calls one by one.
-- p_requests: credits_track's parameters per call, as credits_track_batch receives them.
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "credits_track_group"(p_requests jsonb) RETURNS TABLE (
  idx               integer,       -- the call's index in p_requests
  outcome           text,
  client_id         text,
  client_kind       text,
  key_workspace_id  text,
  workspace_id      text,
  hourly_cap        integer,
  max_pending       integer,
  calls             integer,
  stale             boolean,
  event_id          text,
  event_status      text,
  credits           integer,
  remaining         bigint,
  policy            text,
  billing_interval  text,
  period_anchor     text,
  monthly_credits   integer,
  at                text
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  r0          jsonb := p_requests->0;
  n           integer := jsonb_array_length(p_requests);
  k           record;
  w           record;
  c           record;
  v_ws        text;
  v_match     text;
  v_asked     timestamptz;
  v_wait      interval;
  v_counter   text;
  v_before    integer;
  v_has_sub   boolean;
  v_expired   boolean;
  v_total     bigint;
  v_anchor    text;
BEGIN
  SELECT ac.id, ac.kind::text AS kind, ac."workspaceId", ac."hourlyCap", ac."maxPending", ac."allowedActions",
         ac."secretHash" = r0->>1 AND ac."revokedAt" IS NULL AS valid,
         (ac."lastUsedAt" IS NULL OR ac."lastUsedAt" < (r0->>5)::timestamp(3)) AS stale
    INTO k
    FROM "ApiClient" ac WHERE ac.prefix = r0->>0;
  IF NOT FOUND OR NOT k.valid THEN RETURN; END IF;
  IF k.kind = 'WORKSPACE' THEN
    IF (r0->>2 IS NOT NULL AND r0->>2 <> k."workspaceId") OR r0->>3 IS NOT NULL THEN RETURN; END IF;
    v_ws := k."workspaceId";
  ELSE
    IF r0->>2 IS NULL AND r0->>3 IS NULL THEN RETURN; END IF;
    SELECT (array_agg(ws.id) FILTER (WHERE (r0->>2 IS NULL OR ws.id = r0->>2) AND (r0->>3 IS NULL OR ws."externalId" = r0->>3)))[1]
      INTO v_match
      FROM "Workspace" ws
     WHERE ws.id = r0->>2 OR ws."externalId" = r0->>3;
    IF v_match IS NULL THEN RETURN; END IF;
    v_ws := v_match;
  END IF;

  v_asked := clock_timestamp();
  PERFORM pg_advisory_xact_lock(hashtextextended(v_ws, 0));
  v_wait := date_trunc('milliseconds', clock_timestamp() - v_asked);

  -- The calls, each priced at its time (moved past the wait), and whether the run qualifies.
  SELECT array_agg(q.r->>6 ORDER BY q.o) AS ids,
         array_agg(q.r->>7 ORDER BY q.o) AS actions,
         array_agg((q.r->>8)::integer ORDER BY q.o) AS quantities,
         array_agg(q.r->>9 ORDER BY q.o) AS idempotency_keys,
         array_agg(q.r->>10 ORDER BY q.o) AS subjects,
         array_agg(nullif(q.r->11, 'null'::jsonb) ORDER BY q.o) AS metadata,
         array_agg(((q.r->>13)::timestamp(3) + v_wait) ORDER BY q.o) AS ats,
         array_agg(ap.id ORDER BY q.o) AS price_ids,
         array_agg(ap.category ORDER BY q.o) AS categories,
         array_agg(ap.credits::bigint * (q.r->>8)::integer ORDER BY q.o) AS costs,
         array_agg(ap.policy::text ORDER BY q.o) AS policies,
         coalesce(sum(ap.credits::bigint * (q.r->>8)::integer), 0) AS total,
         bool_and(coalesce(q.r->>0 = r0->>0 AND q.r->>1 = r0->>1 AND q.r->>2 IS NOT DISTINCT FROM r0->>2
                  AND q.r->>3 IS NOT DISTINCT FROM r0->>3 AND q.r->>4 = r0->>4
                  AND q.r->>12 IS NULL AND NOT (q.r->>14)::boolean
                  AND ap.active AND ap.credits::bigint * (q.r->>8)::integer <= 2147483647
                  AND (cardinality(k."allowedActions") = 0 OR q.r->>7 = ANY (k."allowedActions")), false)) AS qualifies,
         count(q.r->>9) AS keyed,
         count(DISTINCT q.r->>9) AS distinct_keys,
         min((q.r->>13)::timestamp(3) + v_wait) AS first_at,
         max((q.r->>13)::timestamp(3) + v_wait) AS last_at
    INTO c
    FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, o)
    LEFT JOIN LATERAL (
      SELECT p.id, p.category, p.credits, p.policy, p.active
        FROM "ActionPrice" p
       WHERE p."actionKey" = q.r->>7 AND p."effectiveFrom" <= (q.r->>13)::timestamp(3) + v_wait
       ORDER BY p.version DESC
       LIMIT 1) ap ON true;
  IF NOT coalesce(c.qualifies, false) OR c.keyed <> c.distinct_keys OR c.first_at::date <> c.last_at::date THEN RETURN; END IF;

  v_counter := 'api:action:' || CASE WHEN k.kind = 'PLATFORM' THEN k.id || ':' || v_ws ELSE k.id END;
  SELECT rl.count INTO v_before FROM "RateLimitCounter" rl WHERE rl.key = v_counter AND rl."windowStart" = (r0->>4)::timestamp(3);
  v_before := coalesce(v_before, 0);
  IF v_before + n > k."hourlyCap" THEN RETURN; END IF;

  -- credits_charge's reads and maintenance conditions, at the last call's time: each condition only
  -- grows with time, so none holds at an earlier call's either, and the spendable grants are the same.
  SELECT ws."billingInterval"::text AS billing_interval, ws."periodAnchor", ws."pendingPlanAt",
         ws."subscriptionStatus"::text AS status, p."monthlyCredits", ws."autoTopUpThreshold" AS top_up_at,
         ws."pastDueSince" AS past_due_since,
         EXISTS (SELECT 1 FROM "UsageEvent" e
                  WHERE e."workspaceId" = v_ws AND e.status = 'PENDING' AND e."holdExpiresAt" <= c.last_at) AS hold_expired
    INTO w
    FROM "Workspace" ws JOIN "Plan" p ON p.id = ws."planId"
   WHERE ws.id = v_ws;
  IF NOT FOUND OR w."monthlyCredits" IS NULL THEN RETURN; END IF;
  SELECT coalesce(bool_or(cg.type = 'SUBSCRIPTION' AND cg."expiresAt" > c.last_at), false),
         coalesce(bool_or(cg.remaining > 0 AND cg."expiresAt" <= c.last_at), false),
         coalesce(sum(cg.remaining) FILTER (WHERE cg."expiresAt" IS NULL OR cg."expiresAt" > c.last_at), 0)
    INTO v_has_sub, v_expired, v_total
    FROM "CreditGrant" cg
   WHERE cg."workspaceId" = v_ws;
  IF (w."pendingPlanAt" IS NOT NULL AND w."pendingPlanAt" <= c.last_at)
     OR (w.status <> 'PAUSED' AND NOT v_has_sub)
     OR v_expired
     OR w.hold_expired
     OR (w.past_due_since IS NOT NULL AND w.status IN ('PAST_DUE', 'PAUSED')
         AND (c.last_at - w.past_due_since >= interval '30 days'
              OR (w.status = 'PAST_DUE' AND c.last_at - w.past_due_since >= interval '7 days')))
     OR v_total < c.total
     OR (w.top_up_at IS NOT NULL AND v_total >= w.top_up_at AND v_total - c.total < w.top_up_at)
  THEN
    RETURN;
  END IF;
  IF c.keyed > 0 AND EXISTS (SELECT 1 FROM "UsageEvent" e WHERE e."workspaceId" = v_ws AND e."idempotencyKey" = ANY (c.idempotency_keys)) THEN
    RETURN;
  END IF;
  -- Hard budgets of the workspace and the key (no member is named): if the sum fits, every call fits in turn.
  IF c.total > 0 AND EXISTS (
    SELECT 1 FROM "budget_status"(v_ws, c.last_at) bs
     WHERE bs.mode = 'HARD' AND bs.credit_limit IS NOT NULL AND bs.subject IN ('workspace', 'key:' || k.id)
       AND bs.spent + c.total > bs.credit_limit) THEN
    RETURN;
  END IF;

  INSERT INTO "RateLimitCounter" (key, "windowStart", count)
  VALUES (v_counter, (r0->>4)::timestamp(3), n)
  ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + EXCLUDED.count;

  WITH calls AS (
    SELECT q.*, sum(q.cost) OVER (ORDER BY q.o) - q.cost AS drawn_before
      FROM unnest(c.ids, c.actions, c.quantities, c.idempotency_keys, c.subjects, c.metadata, c.ats, c.price_ids, c.categories, c.costs)
           WITH ORDINALITY AS q(id, action, quantity, idempotency_key, subject, metadata, at, price_id, category, cost, o)
  ), grants AS (
    -- credits_charge's spend order; each grant covers [running - remaining, running) of the stream of credits drawn.
    SELECT cg.id, row_number() OVER spend AS rn, sum(cg.remaining) OVER spend AS running, cg.remaining
      FROM "CreditGrant" cg
     WHERE cg."workspaceId" = v_ws AND cg.remaining > 0 AND (cg."expiresAt" IS NULL OR cg."expiresAt" > c.last_at)
    WINDOW spend AS (ORDER BY CASE cg.type WHEN 'SUBSCRIPTION' THEN 0 WHEN 'BONUS' THEN 1 ELSE 2 END,
                              cg."expiresAt" ASC NULLS LAST, cg."createdAt" ASC, cg.id COLLATE "C" ASC
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ), pieces AS (
    SELECT cl.o, cl.id AS event_id, cl.at, g.id AS grant_id, g.rn,
           (least(cl.drawn_before + cl.cost, g.running) - greatest(cl.drawn_before, g.running - g.remaining))::integer AS take
      FROM calls cl JOIN grants g ON g.running - g.remaining < cl.drawn_before + cl.cost AND g.running > cl.drawn_before
  ), taken AS (
    UPDATE "CreditGrant" g SET remaining = g.remaining - t.take
      FROM (SELECT grant_id, sum(take)::integer AS take FROM pieces GROUP BY grant_id) t
     WHERE g.id = t.grant_id
  ), events AS (
    INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits, unmetered,
                              "idempotencyKey", subject, metadata, status, "holdExpiresAt", "createdAt", "completedAt")
    SELECT cl.id, v_ws, k.id, NULL, cl.action, cl.category, cl.price_id, cl.quantity, cl.cost, false,
           cl.idempotency_key, cl.subject, cl.metadata, 'COMPLETED', NULL, cl.at, cl.at
      FROM calls cl ORDER BY cl.o
  ), entries AS (
    INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
    SELECT v_ws, pc.grant_id, -pc.take, 'DEBIT', pc.event_id, NULL, k.id, pc.at
      FROM pieces pc WHERE pc.take > 0 ORDER BY pc.o, pc.rn
  )
  INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
  SELECT v_ws, cl.at::date, cl.category, sum(cl.cost), count(*) FROM calls cl GROUP BY cl.at::date, cl.category
  ON CONFLICT ("workspaceId", day, category)
  DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + EXCLUDED.events;

  v_anchor := to_char(w."periodAnchor", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  RETURN QUERY
    SELECT (q.o - 1)::integer, 'charged'::text, k.id, k.kind, k."workspaceId", v_ws, k."hourlyCap", k."maxPending", (v_before + q.o)::integer, k.stale,
           q.id, 'COMPLETED'::text, q.cost::integer, v_total - (sum(q.cost) OVER (ORDER BY q.o))::bigint, q.policy, w.billing_interval, v_anchor,
           w."monthlyCredits", to_char(q.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM unnest(c.ids, c.costs, c.policies, c.ats) WITH ORDINALITY AS q(id, cost, policy, at, o)
     ORDER BY q.o;
END;
$$;
