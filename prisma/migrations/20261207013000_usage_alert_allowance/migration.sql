-- Usage alerts follow the plan (issue 18): one alert per period, threshold and allowance, so after an
-- upgrade the new allowance's thresholds alert afresh while the old plan's alerts are resolved.

-- DropIndex
DROP INDEX "UsageAlert_workspaceId_periodStart_threshold_key";

-- CreateIndex
CREATE UNIQUE INDEX "UsageAlert_workspaceId_periodStart_threshold_allowance_key" ON "UsageAlert"("workspaceId", "periodStart", "threshold", "allowance");
