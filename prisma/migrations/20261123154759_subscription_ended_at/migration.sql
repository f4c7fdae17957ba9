-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "subscriptionEndedAt" TIMESTAMP(3);
