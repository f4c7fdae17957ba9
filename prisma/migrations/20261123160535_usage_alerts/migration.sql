-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "alertThresholds" INTEGER[] DEFAULT ARRAY[80, 100]::INTEGER[],
ADD COLUMN     "alertWebhookUrl" TEXT;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "payload" JSONB,
ADD COLUMN     "workspaceId" TEXT,
ALTER COLUMN "apiClientId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "UsageAlert" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "used" INTEGER NOT NULL,
    "allowance" INTEGER NOT NULL,
    "planId" TEXT NOT NULL,
    "planName" TEXT NOT NULL,
    "outOfCredits" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dismissedAt" TIMESTAMP(3),
    "dismissedById" TEXT,

    CONSTRAINT "UsageAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageAlertCursor" (
    "id" TEXT NOT NULL,
    "lastEntryId" BIGINT NOT NULL DEFAULT 0,
    "previousEntryId" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsageAlertCursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UsageAlert_workspaceId_periodStart_threshold_key" ON "UsageAlert"("workspaceId", "periodStart", "threshold");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageAlert" ADD CONSTRAINT "UsageAlert_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───── Hand-written: what the schema language cannot say ─────

-- Every workspace has a list (empty = no alerts); the default covers existing workspaces too.
ALTER TABLE "Workspace" ALTER COLUMN "alertThresholds" SET NOT NULL;

-- An outbox row goes to exactly one target: an API key (event.charged) or a workspace (usage alerts).
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_one_target" CHECK (num_nonnulls("apiClientId", "workspaceId") = 1);

ALTER TABLE "UsageAlert" ADD CONSTRAINT "UsageAlert_threshold_percent" CHECK ("threshold" BETWEEN 1 AND 100);
