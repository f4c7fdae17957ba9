-- "Contact sales" requests (lib/sales/leads.ts): stored from the public /contact-sales page, mailed to
-- every operator and listed in /admin/leads, where an operator marks them handled (audited). No foreign
-- keys: a lead outlives the account or workspace it came from.

-- CreateTable
CREATE TABLE "SalesLead" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "expectedMonthlyCredits" INTEGER,
    "message" TEXT NOT NULL,
    "planId" TEXT,
    "source" TEXT,
    "userId" TEXT,
    "workspaceId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" TIMESTAMP(3),
    "handledById" TEXT,

    CONSTRAINT "SalesLead_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SalesLead_createdAt_idx" ON "SalesLead"("createdAt");

-- CreateIndex
CREATE INDEX "SalesLead_handledAt_createdAt_idx" ON "SalesLead"("handledAt", "createdAt");

-- hand-written: what Prisma's schema language cannot say. The form's limits (lib/sales/leads.ts) hold in
-- the database too, so nothing that skips the form stores a negative estimate or a handled lead without
-- its operator.
ALTER TABLE "SalesLead" ADD CONSTRAINT "SalesLead_expectedMonthlyCredits_check" CHECK ("expectedMonthlyCredits" IS NULL OR "expectedMonthlyCredits" >= 0);
ALTER TABLE "SalesLead" ADD CONSTRAINT "SalesLead_handled_check" CHECK (("handledAt" IS NULL) = ("handledById" IS NULL));
