-- CreateIndex
CREATE INDEX "UsageEvent_createdAt_idx" ON "UsageEvent" USING BRIN ("createdAt");

-- CreateIndex
CREATE INDEX "UsageRollup_day_idx" ON "UsageRollup"("day");
