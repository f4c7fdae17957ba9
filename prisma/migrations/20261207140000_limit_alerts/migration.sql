-- Alerts that resolve (issue 22, docs/decisions/020-limit-alerts.md). A usage alert now watches a limit —
-- the plan's monthly allowance or one budget ("budget:<Budget.id>") — and has a state: firing until it
-- no longer holds (a new period, a larger limit, credits added, a refund, a removed budget or threshold),
-- then resolved. At most one firing alert per workspace, limit and threshold; once resolved, the next
-- crossing fires a new one (each edge is announced once: limit_reached / limit_resolved).

ALTER TABLE "UsageAlert"
  ADD COLUMN "subject" TEXT NOT NULL DEFAULT 'allowance',
  ADD COLUMN "budgetId" TEXT,
  ADD COLUMN "resolvedAt" TIMESTAMP(3),
  ADD COLUMN "resolvedReason" TEXT,
  ALTER COLUMN "periodEnd" DROP NOT NULL; -- null: a lifetime budget

ALTER TABLE "UsageAlert" ADD CONSTRAINT "UsageAlert_subject" CHECK (
  ("subject" = 'allowance' AND "budgetId" IS NULL AND "periodEnd" IS NOT NULL)
  OR ("subject" = 'budget:' || "budgetId"));
ALTER TABLE "UsageAlert" ADD CONSTRAINT "UsageAlert_resolved" CHECK (("resolvedAt" IS NULL) = ("resolvedReason" IS NULL));

-- Alerts recorded before: those of past periods are over; of the current period, an older allowance's
-- alert gave way to the newer one (an upgrade) — keep the newest firing per threshold.
UPDATE "UsageAlert" SET "resolvedAt" = "periodEnd", "resolvedReason" = 'new_period' WHERE "periodEnd" <= now();
UPDATE "UsageAlert" a SET "resolvedAt" = now(), "resolvedReason" = 'limit_changed'
  FROM (SELECT id, row_number() OVER (PARTITION BY "workspaceId", threshold ORDER BY "createdAt" DESC, id DESC) AS n
          FROM "UsageAlert" WHERE "resolvedAt" IS NULL) r
 WHERE a.id = r.id AND r.n > 1;

DROP INDEX "UsageAlert_workspaceId_periodStart_threshold_allowance_key";
-- One firing alert per limit and threshold: of racing detectors exactly one INSERT … ON CONFLICT gets through.
-- It also finds the workspaces with firing alerts (the sweep re-checks them when nothing else moves).
CREATE UNIQUE INDEX "UsageAlert_firing_key" ON "UsageAlert" ("workspaceId", "subject", "threshold") WHERE "resolvedAt" IS NULL;
-- The history (Settings → Alerts): newest first.
CREATE INDEX "UsageAlert_workspaceId_createdAt_idx" ON "UsageAlert" ("workspaceId", "createdAt");
