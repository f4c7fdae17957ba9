-- x402 payments that settled on chain but were not recorded are recovered (lib/x402/recovery.ts,
-- docs/decisions/010-x402.md): a job retries recording them, an operator may credit or refund one.

-- AlterEnum (the new value is not used in this transaction: PostgreSQL forbids that before commit)
ALTER TYPE "X402PaymentStatus" ADD VALUE 'REFUNDED';

-- AlterTable
ALTER TABLE "X402Payment" ADD COLUMN     "note" TEXT,
ADD COLUMN     "recordAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "recordError" TEXT,
ADD COLUMN     "refundedAt" TIMESTAMP(3),
ADD COLUMN     "retryAt" TIMESTAMP(3);

-- hand-written: what Prisma's schema language cannot say.

-- The recovery job's scan: only the few payments still settling, never the settled history.
CREATE INDEX "X402Payment_settling_createdAt_idx" ON "X402Payment"("createdAt") WHERE "status" = 'SETTLING';

-- A wallet's workspace is found by its external id too (x402:<address>), whatever case a platform key
-- gave it before the x402: space was reserved (lib/x402/wallets.ts). Only that space is indexed.
CREATE INDEX "Workspace_wallet_externalId_idx" ON "Workspace"(lower("externalId")) WHERE lower("externalId") LIKE 'x402:%';
