-- x402 pay-per-call (docs/decisions/010-x402.md): one row per USDC payment. The unique
-- (network, asset, payer, nonce) index is what makes a replayed payment impossible, even when two
-- requests carry it at the same instant: the payment is claimed (inserted) before it is settled.

-- CreateEnum
CREATE TYPE "X402Purpose" AS ENUM ('CREDITS', 'USAGE');

-- CreateEnum
CREATE TYPE "X402PaymentStatus" AS ENUM ('SETTLING', 'SETTLED');

-- CreateTable
CREATE TABLE "X402Payment" (
    "id" TEXT NOT NULL,
    "status" "X402PaymentStatus" NOT NULL DEFAULT 'SETTLING',
    "purpose" "X402Purpose" NOT NULL,
    "network" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "payer" TEXT NOT NULL,
    "payTo" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "credits" INTEGER NOT NULL,
    "workspaceId" TEXT,
    "packId" TEXT,
    "grantId" TEXT,
    "actionKey" TEXT,
    "usageEventId" TEXT,
    "transaction" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "X402Payment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "X402Payment_usageEventId_key" ON "X402Payment"("usageEventId");

-- CreateIndex
CREATE UNIQUE INDEX "X402Payment_transaction_key" ON "X402Payment"("transaction");

-- CreateIndex
CREATE INDEX "X402Payment_workspaceId_createdAt_idx" ON "X402Payment"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "X402Payment_settledAt_idx" ON "X402Payment"("settledAt");

-- CreateIndex
CREATE UNIQUE INDEX "X402Payment_network_asset_payer_nonce_key" ON "X402Payment"("network", "asset", "payer", "nonce");

-- A payment moves money and buys credits; a settled one names its transaction.
ALTER TABLE "X402Payment" ADD CONSTRAINT "X402Payment_amount_positive" CHECK ("amount" > 0 AND "credits" >= 0);
ALTER TABLE "X402Payment" ADD CONSTRAINT "X402Payment_settled_has_transaction" CHECK ("status" = 'SETTLING' OR "transaction" IS NOT NULL);
