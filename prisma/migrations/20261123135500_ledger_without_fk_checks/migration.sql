-- ───── Hand-written (measured by npm run bench:ledger) ─────
-- LedgerEntry is the highest-volume table: every debit writes one row per grant it draws on. Its three
-- foreign keys cost a trigger query each per row — measured, 43% of the server time of a debit. The
-- ledger is written only by lib/credits, inside the transaction that creates or locks the parents, and
-- never updated or deleted (trigger). Referential integrity of the ledger is checked instead by
-- checkInvariants (lib/credits/invariants.ts): every entry's grant and event exist and belong to the
-- entry's workspace — a stronger check than the foreign keys made.
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_workspaceId_fkey";
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_grantId_fkey";
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_usageEventId_fkey";
