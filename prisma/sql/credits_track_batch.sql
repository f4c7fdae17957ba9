-- Group commit of metering calls (lib/metering/hot-path.ts): the calls in order, one transaction and
-- one commit; each workspace's lock is taken by its first call and held to the end. The calls of one
-- workspace, or of several: then the caller sends them sorted by workspace id (the lock order every
-- batch keeps, so batches cannot deadlock), each workspace's in arrival order. A run of calls of one key
-- on one workspace goes through credits_track_group (set-based, when every call of the run would be
-- charged in full); otherwise, and for a call alone, credits_track one call at a time.
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
  r     jsonb;
  n     integer := jsonb_array_length(p_requests);
  i     integer := 0;
  j     integer;
  x     integer;
  done  integer;
BEGIN
  WHILE i < n LOOP
    r := p_requests->i;
    -- The run of calls from i with the same key and the same workspace named.
    j := i + 1;
    WHILE j < n AND p_requests->j->>0 = r->>0 AND (p_requests->j->>2) IS NOT DISTINCT FROM (r->>2)
                AND (p_requests->j->>3) IS NOT DISTINCT FROM (r->>3) LOOP
      j := j + 1;
    END LOOP;
    done := 0;
    IF j - i > 1 THEN
      RETURN QUERY
        SELECT i + g.idx, g.outcome, g.client_id, g.client_kind, g.key_workspace_id, g.workspace_id, g.hourly_cap, g.max_pending,
               g.calls, g.stale, g.event_id, g.event_status, g.credits, g.remaining, g.policy, g.billing_interval, g.period_anchor,
               g.monthly_credits, g.at
          FROM "credits_track_group"((SELECT jsonb_agg(e.value ORDER BY e.o) FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(value, o)
                                       WHERE e.o > i AND e.o <= j)) g;
      GET DIAGNOSTICS done = ROW_COUNT;
    END IF;
    IF done = 0 THEN
      FOR x IN i .. j - 1 LOOP
        r := p_requests->x;
        RETURN QUERY
          SELECT x, t.* FROM "credits_track"(
            r->>0, r->>1, r->>2, r->>3, (r->>4)::timestamp(3), (r->>5)::timestamp(3), r->>6, r->>7, (r->>8)::integer,
            r->>9, r->>10, nullif(r->11, 'null'::jsonb), r->>12, (r->>13)::timestamp(3), (r->>14)::boolean, (r->>15)::integer,
            (r->>16)::timestamp(3)) t;
      END LOOP;
    END IF;
    i := j;
  END LOOP;
END;
$$;
