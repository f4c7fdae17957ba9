-- Group commit of one workspace's debits (lib/credits/charge.ts): credits_charge for each request in
-- order, in one transaction; the first takes the workspace lock and holds it to the end.
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "credits_charge_batch"(p_requests jsonb) RETURNS TABLE (
  idx              integer,
  outcome          text,
  event_id         text,
  event_status     text,
  credits          integer,
  remaining        bigint,
  policy           text,
  billing_interval text,
  period_anchor    text,
  monthly_credits  integer,
  at               text
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  r   jsonb;
  i   integer := 0;
BEGIN
  FOR r IN SELECT value FROM jsonb_array_elements(p_requests) LOOP
    RETURN QUERY
      SELECT i, c.* FROM "credits_charge"(
        r->>'workspace_id', r->>'event_id', r->>'action', (r->>'quantity')::integer, r->>'idempotency_key',
        r->>'subject', r->'metadata', r->>'user_id', r->>'api_client_id', (r->>'at')::timestamp(3),
        (r->>'hold')::boolean, (r->>'estimate')::integer, (r->>'hold_expires_at')::timestamp(3),
        (r->>'pending_limit')::integer, coalesce((r->>'clock')::boolean, true)) c;
    i := i + 1;
  END LOOP;
END;
$$;
