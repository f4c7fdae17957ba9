-- Group commit of metering calls (lib/metering/hot-path.ts; docs/decisions/017-metering-hot-path.md):
-- the calls of one workspace or of several, in one transaction and one commit. The caller sends them
-- sorted by workspace id, each workspace's in arrival order.
--  1. Each call's key (by prefix and SHA-256, not revoked) and the workspace it acts on, for all calls at
--     once; then every such workspace's lock, in workspace id order (byte order, as the caller sorts and
--     as every batch takes them, so batches cannot deadlock), and the calls' time moved past that wait.
--  2. Set-based, for every workspace whose calls in the batch all come from one key naming it the same
--     way and would each be charged in full one after the other — the key's cap not passed by the last
--     call, every action priced, active and allowed, no reservation, no member named, no idempotency key
--     seen before or twice, no maintenance due, every hard budget of the workspace and key and the
--     spendable balance covering the sum, no auto top-up threshold crossed, one counter window and one
--     UTC day: the counter, the events, the grants, the ledger entries and the rollups are written with
--     one statement each for all such workspaces. Each call's answer and writes are what credits_track
--     gives it in turn: the same spend order over the grants, cut at each call's running sum, the
--     counter at each call's count.
--  3. Every other call through credits_track, one at a time, in order (its workspace lock is held
--     already when it has one): errors, denials, reservations, members, maintenance, queueing — every
--     uncommon turn keeps its one implementation.
-- Answers one row per call (idx: its index in p_requests), in no particular order.
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "credits_track_batch"(p_requests jsonb) RETURNS TABLE (
  idx               integer,
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
  r        jsonb;
  x        integer;
  a        record;
  c        record;
  v_lock   text;
  v_asked  timestamptz;
  v_wait   interval;
BEGIN
  -- 1. Keys and workspaces (null: the call goes through credits_track, which answers why).
  SELECT array_agg(k.ws ORDER BY q.o) AS ws,
         array_agg(k.client_id ORDER BY q.o) AS client_ids,
         array_agg(k.kind ORDER BY q.o) AS kinds,
         array_agg(k.key_ws ORDER BY q.o) AS key_ws,
         array_agg(k.cap ORDER BY q.o) AS caps,
         array_agg(k.max_pending ORDER BY q.o) AS max_pendings,
         array_agg(k.allowed ORDER BY q.o) AS allowed,
         array_agg(k.stale ORDER BY q.o) AS stale
    INTO a
    FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, o)
    LEFT JOIN LATERAL (
      SELECT ac.id AS client_id, ac.kind::text AS kind, ac."workspaceId" AS key_ws, ac."hourlyCap" AS cap, ac."maxPending" AS max_pending,
             cardinality(ac."allowedActions") = 0 OR q.r->>7 = ANY (ac."allowedActions") AS allowed,
             (ac."lastUsedAt" IS NULL OR ac."lastUsedAt" < (q.r->>5)::timestamp(3)) AS stale,
             CASE WHEN ac.kind = 'WORKSPACE' THEN
                    CASE WHEN (q.r->>2 IS NULL OR q.r->>2 = ac."workspaceId") AND q.r->>3 IS NULL THEN ac."workspaceId" END
                  ELSE (SELECT (array_agg(ws.id) FILTER (WHERE (q.r->>2 IS NULL OR ws.id = q.r->>2)
                                                          AND (q.r->>3 IS NULL OR ws."externalId" = q.r->>3)))[1]
                          FROM "Workspace" ws
                         WHERE ws.id = q.r->>2 OR ws."externalId" = q.r->>3) END AS ws
        FROM "ApiClient" ac
       WHERE ac.prefix = q.r->>0 AND ac."secretHash" = q.r->>1 AND ac."revokedAt" IS NULL) k ON true;

  v_asked := clock_timestamp();
  FOR v_lock IN SELECT DISTINCT w COLLATE "C" FROM unnest(a.ws) AS u(w) WHERE w IS NOT NULL ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_lock, 0));
  END LOOP;
  -- Dated once the locks are held (as credits_track dates a call): the callers' clocks, moved past this wait.
  v_wait := date_trunc('milliseconds', clock_timestamp() - v_asked);

  -- 2. The calls that qualify, with everything their writes and answers need.
  WITH calls AS (
    SELECT q.o, q.r, k.ws, k.client_id, k.kind, k.key_ws, k.cap, k.max_pending, k.stale,
           (q.r->>13)::timestamp(3) + v_wait AS at,
           ap.id AS price_id, ap.category, ap.policy::text AS policy, ap.credits::bigint * (q.r->>8)::integer AS cost,
           coalesce(k.allowed AND ap.active AND ap.credits::bigint * (q.r->>8)::integer <= 2147483647
                    AND q.r->>12 IS NULL AND NOT (q.r->>14)::boolean, false) AS plain
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS q(r, o)
      JOIN unnest(a.ws, a.client_ids, a.kinds, a.key_ws, a.caps, a.max_pendings, a.allowed, a.stale)
           WITH ORDINALITY AS k(ws, client_id, kind, key_ws, cap, max_pending, allowed, stale, o) ON k.o = q.o
      LEFT JOIN LATERAL (
        SELECT p.id, p.category, p.credits, p.policy, p.active
          FROM "ActionPrice" p
         WHERE p."actionKey" = q.r->>7 AND p."effectiveFrom" <= (q.r->>13)::timestamp(3) + v_wait
         ORDER BY p.version DESC
         LIMIT 1) ap ON true
     WHERE k.ws IS NOT NULL
  ), runs AS (
    SELECT cl.ws, count(*) AS n, sum(cl.cost) AS total, min(cl.at) AS first_at, max(cl.at) AS last_at,
           min(cl.client_id) AS client_id, min(cl.cap) AS cap, min(cl.r->>4) AS window_start,
           -- The key's hourly counter (lib/metering/limits.ts countCall): platform keys count per workspace.
           'api:action:' || min(CASE WHEN cl.kind = 'PLATFORM' THEN cl.client_id || ':' || cl.ws ELSE cl.client_id END) AS counter,
           bool_and(cl.plain)
             AND count(DISTINCT concat_ws('|', cl.r->>0, coalesce(cl.r->>2, '-'), coalesce(cl.r->>3, '-'), cl.r->>4)) = 1
             AND count(cl.r->>9) = count(DISTINCT cl.r->>9)
             AND min(cl.at)::date = max(cl.at)::date AS plain,
           array_remove(array_agg(cl.r->>9), NULL) AS idempotency_keys
      FROM calls cl
     GROUP BY cl.ws
  ), ready AS (
    -- No maintenance due at the run's last time (credits_maintenance_due: each of its conditions only
    -- grows with time, so none holds at an earlier call's either, and the spendable grants are the same).
    SELECT rn.ws, rn.window_start, rn.n, rn.counter,
           coalesce(rl.count, 0) AS before, g.spendable, w.billing_interval, w.period_anchor, w.monthly_credits
      FROM runs rn
      JOIN LATERAL (
        SELECT ws."billingInterval"::text AS billing_interval, to_char(ws."periodAnchor", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS period_anchor,
               p."monthlyCredits" AS monthly_credits, ws."autoTopUpThreshold" AS top_up_at
          FROM "Workspace" ws JOIN "Plan" p ON p.id = ws."planId"
         WHERE ws.id = rn.ws) w ON true
      CROSS JOIN LATERAL (
        SELECT coalesce(sum(cg.remaining) FILTER (WHERE cg."expiresAt" IS NULL OR cg."expiresAt" > rn.last_at), 0) AS spendable
          FROM "CreditGrant" cg
         WHERE cg."workspaceId" = rn.ws) g
      LEFT JOIN "RateLimitCounter" rl ON rl.key = rn.counter AND rl."windowStart" = rn.window_start::timestamp(3)
     WHERE rn.plain
       AND w.monthly_credits IS NOT NULL
       AND coalesce(rl.count, 0) + rn.n <= rn.cap
       AND NOT "credits_maintenance_due"(rn.ws, rn.last_at)
       AND g.spendable >= rn.total
       AND NOT (w.top_up_at IS NOT NULL AND g.spendable >= w.top_up_at AND g.spendable - rn.total < w.top_up_at)
       AND (cardinality(rn.idempotency_keys) = 0
            OR NOT EXISTS (SELECT 1 FROM "UsageEvent" e WHERE e."workspaceId" = rn.ws AND e."idempotencyKey" = ANY (rn.idempotency_keys)))
       -- Hard budgets of the workspace and the key (no member is named): if the sum fits, every call fits in turn.
       AND (rn.total = 0 OR NOT EXISTS (
             SELECT 1 FROM "budget_status"(rn.ws, rn.last_at) bs
              WHERE bs.mode = 'HARD' AND bs.credit_limit IS NOT NULL AND bs.subject IN ('workspace', 'key:' || rn.client_id)
                AND bs.spent + rn.total > bs.credit_limit))
  ), charged AS (
    SELECT cl.*, rd.counter, rd.window_start, rd.n, rd.billing_interval, rd.period_anchor, rd.monthly_credits,
           rd.before + row_number() OVER per_ws AS calls,
           rd.spendable - sum(cl.cost) OVER per_ws AS remaining
      FROM calls cl JOIN ready rd ON rd.ws = cl.ws
    WINDOW per_ws AS (PARTITION BY cl.ws ORDER BY cl.o ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  )
  SELECT array_agg((ch.o - 1)::integer ORDER BY ch.o) AS idx, array_agg(ch.ws ORDER BY ch.o) AS ws,
         array_agg(ch.r->>6 ORDER BY ch.o) AS ids, array_agg(ch.r->>7 ORDER BY ch.o) AS actions,
         array_agg((ch.r->>8)::integer ORDER BY ch.o) AS quantities, array_agg(ch.r->>9 ORDER BY ch.o) AS idempotency_keys,
         array_agg(ch.r->>10 ORDER BY ch.o) AS subjects, array_agg(nullif(ch.r->11, 'null'::jsonb) ORDER BY ch.o) AS metadata,
         array_agg(ch.at ORDER BY ch.o) AS ats, array_agg(ch.price_id ORDER BY ch.o) AS price_ids,
         array_agg(ch.category ORDER BY ch.o) AS categories, array_agg(ch.cost ORDER BY ch.o) AS costs,
         array_agg(ch.policy ORDER BY ch.o) AS policies, array_agg(ch.client_id ORDER BY ch.o) AS client_ids,
         array_agg(ch.kind ORDER BY ch.o) AS kinds, array_agg(ch.key_ws ORDER BY ch.o) AS key_ws,
         array_agg(ch.cap ORDER BY ch.o) AS caps, array_agg(ch.max_pending ORDER BY ch.o) AS max_pendings,
         array_agg(ch.stale ORDER BY ch.o) AS stale, array_agg(ch.calls::integer ORDER BY ch.o) AS calls,
         array_agg(ch.remaining::bigint ORDER BY ch.o) AS remaining, array_agg(ch.billing_interval ORDER BY ch.o) AS billing_intervals,
         array_agg(ch.period_anchor ORDER BY ch.o) AS period_anchors, array_agg(ch.monthly_credits ORDER BY ch.o) AS monthly_credits,
         array_agg(ch.counter ORDER BY ch.o) AS counters, array_agg(ch.window_start::timestamp(3) ORDER BY ch.o) AS windows
    INTO c
    FROM charged ch;

  IF c.idx IS NOT NULL THEN
    INSERT INTO "RateLimitCounter" (key, "windowStart", count)
    SELECT u.counter, u.window_start, count(*)
      FROM unnest(c.counters, c.windows) AS u(counter, window_start)
     GROUP BY u.counter, u.window_start
     ORDER BY u.counter COLLATE "C"
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + EXCLUDED.count;

    WITH calls AS (
      SELECT u.*, sum(u.cost) OVER (PARTITION BY u.ws ORDER BY u.o) - u.cost AS drawn_before
        FROM unnest(c.ws, c.ids, c.actions, c.quantities, c.idempotency_keys, c.subjects, c.metadata, c.ats, c.price_ids, c.categories,
                    c.costs, c.client_ids)
             WITH ORDINALITY AS u(ws, id, action, quantity, idempotency_key, subject, metadata, at, price_id, category, cost, client_id, o)
    ), grants AS (
      -- credits_charge's spend order per workspace; each grant covers [running - remaining, running) of
      -- the workspace's stream of credits drawn.
      SELECT cg."workspaceId" AS ws, cg.id, row_number() OVER spend AS rn, sum(cg.remaining) OVER spend AS running, cg.remaining
        FROM "CreditGrant" cg
        JOIN (SELECT u.ws, max(u.at) AS last_at FROM unnest(c.ws, c.ats) AS u(ws, at) GROUP BY u.ws) lw ON lw.ws = cg."workspaceId"
       WHERE cg.remaining > 0 AND (cg."expiresAt" IS NULL OR cg."expiresAt" > lw.last_at)
      WINDOW spend AS (PARTITION BY cg."workspaceId"
                       ORDER BY CASE cg.type WHEN 'SUBSCRIPTION' THEN 0 WHEN 'BONUS' THEN 1 ELSE 2 END,
                                cg."expiresAt" ASC NULLS LAST, cg."createdAt" ASC, cg.id COLLATE "C" ASC
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    ), pieces AS (
      SELECT cl.o, cl.ws, cl.id AS event_id, cl.at, cl.client_id, g.id AS grant_id, g.rn,
             (least(cl.drawn_before + cl.cost, g.running) - greatest(cl.drawn_before, g.running - g.remaining))::integer AS take
        FROM calls cl
        JOIN grants g ON g.ws = cl.ws AND g.running - g.remaining < cl.drawn_before + cl.cost AND g.running > cl.drawn_before
    ), taken AS (
      UPDATE "CreditGrant" g SET remaining = g.remaining - t.take
        FROM (SELECT grant_id, sum(take)::integer AS take FROM pieces GROUP BY grant_id) t
       WHERE g.id = t.grant_id
    ), events AS (
      INSERT INTO "UsageEvent" (id, "workspaceId", "apiClientId", "userId", "actionKey", category, "priceId", quantity, credits, unmetered,
                                "idempotencyKey", subject, metadata, status, "holdExpiresAt", "createdAt", "completedAt")
      SELECT cl.id, cl.ws, cl.client_id, NULL, cl.action, cl.category, cl.price_id, cl.quantity, cl.cost, false,
             cl.idempotency_key, cl.subject, cl.metadata, 'COMPLETED', NULL, cl.at, cl.at
        FROM calls cl ORDER BY cl.o
    ), entries AS (
      INSERT INTO "LedgerEntry" ("workspaceId", "grantId", amount, kind, "usageEventId", "actorUserId", "apiClientId", "createdAt")
      SELECT pc.ws, pc.grant_id, -pc.take, 'DEBIT', pc.event_id, NULL, pc.client_id, pc.at
        FROM pieces pc WHERE pc.take > 0 ORDER BY pc.o, pc.rn
    )
    INSERT INTO "UsageRollup" ("workspaceId", day, category, credits, events)
    SELECT cl.ws, cl.at::date, cl.category, sum(cl.cost), count(*) FROM calls cl GROUP BY cl.ws, cl.at::date, cl.category
    ON CONFLICT ("workspaceId", day, category)
    DO UPDATE SET credits = "UsageRollup".credits + EXCLUDED.credits, events = "UsageRollup".events + EXCLUDED.events;

    RETURN QUERY
      SELECT u.idx, 'charged'::text, u.client_id, u.kind, u.key_ws, u.ws, u.cap, u.max_pending, u.calls, u.stale,
             u.id, 'COMPLETED'::text, u.cost::integer, u.remaining, u.policy, u.billing_interval, u.period_anchor, u.monthly_credits,
             to_char(u.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        FROM unnest(c.idx, c.client_ids, c.kinds, c.key_ws, c.ws, c.caps, c.max_pendings, c.calls, c.stale, c.ids, c.costs, c.remaining,
                    c.policies, c.billing_intervals, c.period_anchors, c.monthly_credits, c.ats)
             AS u(idx, client_id, kind, key_ws, ws, cap, max_pending, calls, stale, id, cost, remaining, policy, billing_interval,
                  period_anchor, monthly_credits, at);
  END IF;

  -- 3. The rest, one at a time, in order.
  FOR x IN 0 .. jsonb_array_length(p_requests) - 1 LOOP
    CONTINUE WHEN x = ANY (c.idx);
    r := p_requests->x;
    RETURN QUERY
      SELECT x, t.* FROM "credits_track"(
        r->>0, r->>1, r->>2, r->>3, (r->>4)::timestamp(3), (r->>5)::timestamp(3), r->>6, r->>7, (r->>8)::integer,
        r->>9, r->>10, nullif(r->11, 'null'::jsonb), r->>12, (r->>13)::timestamp(3), (r->>14)::boolean, (r->>15)::integer,
        (r->>16)::timestamp(3)) t;
  END LOOP;
END;
$$;
