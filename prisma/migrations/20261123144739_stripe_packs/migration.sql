-- AlterEnum
ALTER TYPE "LedgerKind" ADD VALUE 'CLAWBACK';

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "reference" TEXT;
