-- ───── Hand-written (measured by npm run bench:ledger) ─────
-- Group commit for the hot path: lib/credits/charge.ts batches debits and reservations that arrive while
-- the pool is busy and sends them as one call. Each request runs credits_charge in turn, in the order
-- given (the caller sorts by workspace, so batches take workspace locks in one order and cannot
-- deadlock); one transaction and one commit serve the whole batch.
CREATE FUNCTION "credits_charge_batch"(p_requests jsonb) RETURNS TABLE (
  idx              integer,
  outcome          text,
  event_id         text,
  event_status     text,
  credits          integer,
  remaining        bigint,
  policy           text,
  billing_interval text,
  period_anchor    text,
  monthly_credits  integer
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
        (r->>'pending_limit')::integer) c;
    i := i + 1;
  END LOOP;
END;
$$;
