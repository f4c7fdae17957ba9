-- One database call per API action (POST /api/v1/track and /reservations; lib/metering/hot-path.ts;
-- docs/decisions/017-metering-hot-path.md):
-- the key, the workspace, the hourly cap and the charge, in one transaction:
--  1. the key by its prefix; unknown, wrong secret (its SHA-256 is compared) or revoked: 'unauthenticated'.
--     Nothing about keys is cached in the app, so a revocation or a cap change holds from the next call
--     on every instance.
--  2. the workspace it acts on: its own (workspace keys), or the one named by id and/or external id
--     (platform keys; both must name the same one).
--  3. the workspace lock (the one credits_charge takes), and the event's time once it is held;
--  4. the hourly counter (lib/metering/limits.ts, same key and window as hitRateLimit): one upsert,
--     exact across instances; over the cap: 'rate_limited' (the call stays counted, as before).
--  5. the key's allowed actions, then the member named by email, if any;
--  6. credits_charge (which finds the lock already held).
-- Lock order: the workspace lock, then the counter row. Every counter row of action calls belongs to one
-- workspace (workspace keys act on their own; platform keys count per workspace), so it is only ever
-- taken under that workspace's lock: calls cannot deadlock, alone or batched (credits_track_batch).
-- lock_timeout and statement_timeout come from the hot path's pool.
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "credits_track"(
  p_prefix          text,
  p_secret_hash     text,          -- SHA-256 (hex) of the whole key
  p_workspace_id    text,          -- the request's workspace_id (platform keys), or null
  p_external_id     text,          -- the request's external_id (platform keys), or null
  p_window_start    timestamp(3),  -- the hourly window of the counter
  p_stale_before    timestamp(3),  -- lastUsedAt older than this: tell the caller to refresh it
  p_event_id        text,
  p_action_key      text,
  p_quantity        integer,
  p_idempotency_key text,
  p_subject         text,
  p_metadata        jsonb,
  p_member_email    text,          -- already trimmed and lower-cased, or null
  p_at              timestamp(3),
  p_hold            boolean,
  p_estimate        integer,
  p_hold_expires_at timestamp(3)
) RETURNS TABLE (
  outcome           text,          -- unauthenticated | forbidden_workspace | forbidden_external | workspace_required
                                   -- | workspace_mismatch | no_workspace | rate_limited | action_not_allowed
                                   -- | unknown_member | then credits_charge's outcomes
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
  k        record;
  v_ws     text;
  v_match  text;
  v_any    boolean;
  v_calls  integer;
  v_user   text;
  v_asked  timestamptz;
  v_at     timestamp(3);
BEGIN
  SELECT c.id, c.kind::text AS kind, c."workspaceId", c."hourlyCap", c."maxPending", c."allowedActions",
         c."secretHash" = p_secret_hash AND c."revokedAt" IS NULL AS valid,
         (c."lastUsedAt" IS NULL OR c."lastUsedAt" < p_stale_before) AS stale
    INTO k
    FROM "ApiClient" c WHERE c.prefix = p_prefix;
  IF NOT FOUND OR NOT k.valid THEN
    RETURN QUERY SELECT 'unauthenticated', NULL::text, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::integer, NULL::integer, false,
      NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
    RETURN;
  END IF;

  IF k.kind = 'WORKSPACE' THEN
    IF p_workspace_id IS NOT NULL AND p_workspace_id <> k."workspaceId" THEN
      RETURN QUERY SELECT 'forbidden_workspace', k.id, k.kind, k."workspaceId", NULL::text, k."hourlyCap", k."maxPending", NULL::integer, k.stale,
        NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
      RETURN;
    END IF;
    IF p_external_id IS NOT NULL THEN
      RETURN QUERY SELECT 'forbidden_external', k.id, k.kind, k."workspaceId", NULL::text, k."hourlyCap", k."maxPending", NULL::integer, k.stale,
        NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
      RETURN;
    END IF;
    v_ws := k."workspaceId";
  ELSE
    IF p_workspace_id IS NULL AND p_external_id IS NULL THEN
      RETURN QUERY SELECT 'workspace_required', k.id, k.kind, NULL::text, NULL::text, k."hourlyCap", k."maxPending", NULL::integer, k.stale,
        NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
      RETURN;
    END IF;
    -- Both given: they must name the same workspace (never silently act on one of two).
    SELECT (array_agg(ws.id) FILTER (WHERE (p_workspace_id IS NULL OR ws.id = p_workspace_id)
                                      AND (p_external_id IS NULL OR ws."externalId" = p_external_id)))[1],
           count(*) > 0
      INTO v_match, v_any
      FROM "Workspace" ws
     WHERE ws.id = p_workspace_id OR ws."externalId" = p_external_id;
    IF v_match IS NULL THEN
      RETURN QUERY SELECT CASE WHEN p_workspace_id IS NOT NULL AND p_external_id IS NOT NULL AND v_any THEN 'workspace_mismatch' ELSE 'no_workspace' END,
        k.id, k.kind, NULL::text, NULL::text, k."hourlyCap", k."maxPending", NULL::integer, k.stale,
        NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
      RETURN;
    END IF;
    v_ws := v_match;
  END IF;

  v_asked := clock_timestamp();
  PERFORM pg_advisory_xact_lock(hashtextextended(v_ws, 0));
  -- Dated once the lock is held (see credits_charge v5): the caller's clock, moved past this wait.
  v_at := p_at + date_trunc('milliseconds', clock_timestamp() - v_asked);

  -- The hourly cap of action calls: platform keys count per workspace (lib/metering/limits.ts countCall).
  INSERT INTO "RateLimitCounter" (key, "windowStart", count)
  VALUES ('api:action:' || CASE WHEN k.kind = 'PLATFORM' THEN k.id || ':' || v_ws ELSE k.id END, p_window_start, 1)
  ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + 1
  RETURNING count INTO v_calls;
  IF v_calls > k."hourlyCap" THEN
    RETURN QUERY SELECT 'rate_limited', k.id, k.kind, k."workspaceId", v_ws, k."hourlyCap", k."maxPending", v_calls, k.stale,
      NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
    RETURN;
  END IF;

  IF cardinality(k."allowedActions") > 0 AND NOT (p_action_key = ANY (k."allowedActions")) THEN
    RETURN QUERY SELECT 'action_not_allowed', k.id, k.kind, k."workspaceId", v_ws, k."hourlyCap", k."maxPending", v_calls, k.stale,
      NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
    RETURN;
  END IF;

  IF p_member_email IS NOT NULL THEN
    SELECT m."userId" INTO v_user
      FROM "Membership" m JOIN "User" u ON u.id = m."userId"
     WHERE m."workspaceId" = v_ws AND u.email = p_member_email
     LIMIT 1;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'unknown_member', k.id, k.kind, k."workspaceId", v_ws, k."hourlyCap", k."maxPending", v_calls, k.stale,
        NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text;
      RETURN;
    END IF;
  END IF;

  RETURN QUERY
    SELECT c.outcome, k.id, k.kind, k."workspaceId", v_ws, k."hourlyCap", k."maxPending", v_calls, k.stale,
           c.event_id, c.event_status, c.credits, c.remaining, c.policy, c.billing_interval, c.period_anchor, c.monthly_credits, c.at
      FROM "credits_charge"(v_ws, p_event_id, p_action_key, p_quantity, p_idempotency_key, p_subject, p_metadata, v_user, k.id,
                            v_at, p_hold, p_estimate, p_hold_expires_at + (v_at - p_at), k."maxPending", false) c;
END;
$$;
