-- The operator console's ledger explorer finds the entries of an outside object (a Stripe checkout
-- session cs_…, charge ch_…, payment intent pi_…). Few entries carry one, so the index is partial:
-- it stays small and costs nothing on the debit hot path, whose entries have no reference.
CREATE INDEX "LedgerEntry_reference_idx" ON "LedgerEntry"("reference") WHERE "reference" IS NOT NULL;
