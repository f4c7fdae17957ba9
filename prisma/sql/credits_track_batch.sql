-- Group commit of metering calls (lib/metering/hot-path.ts): credits_track for each in order, one
-- transaction and one commit; each workspace's lock is taken by its first call and held to the end. The
-- calls of one workspace, or of several: then the caller sends them sorted by workspace id (the lock
-- order every batch keeps, so batches cannot deadlock), each workspace's in arrival order.
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
  r   jsonb;
  i   integer := 0;
BEGIN
  FOR r IN SELECT value FROM jsonb_array_elements(p_requests) LOOP
    RETURN QUERY
      SELECT i, t.* FROM "credits_track"(
        r->>0, r->>1, r->>2, r->>3, (r->>4)::timestamp(3), (r->>5)::timestamp(3), r->>6, r->>7, (r->>8)::integer,
        r->>9, r->>10, nullif(r->11, 'null'::jsonb), r->>12, (r->>13)::timestamp(3), (r->>14)::boolean, (r->>15)::integer,
        (r->>16)::timestamp(3)) t;
    i := i + 1;
  END LOOP;
END;
$$;
