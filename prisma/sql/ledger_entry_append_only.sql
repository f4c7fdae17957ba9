-- The ledger is append-only: a trigger on "LedgerEntry" refuses UPDATE and DELETE
-- (docs/decisions/003-ledger-consistency.md).
-- Live definition: this file (prisma/sql/README.md says how to change it).
CREATE OR REPLACE FUNCTION "ledger_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LedgerEntry is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
