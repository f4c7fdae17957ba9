-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'MEMBER',
    "tokenHash" TEXT NOT NULL,
    "invitedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_workspaceId_email_idx" ON "Invitation"("workspaceId", "email");

-- CreateIndex
CREATE INDEX "UsageEvent_workspaceId_apiClientId_createdAt_idx" ON "UsageEvent"("workspaceId", "apiClientId", "createdAt");

-- CreateIndex
-- Partial (hand-edited): most events come through API keys and have no user, so only the few that do are indexed.
CREATE INDEX "UsageEvent_workspaceId_userId_createdAt_idx" ON "UsageEvent"("workspaceId", "userId", "createdAt") WHERE "userId" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───── Hand-written ─────
-- At most one open (not accepted, not withdrawn) invitation per workspace and email: inviting the same
-- address again withdraws the open one first (lib/teams/invitations.ts), in the same transaction.
CREATE UNIQUE INDEX "Invitation_open_email_key" ON "Invitation"("workspaceId", "email") WHERE "acceptedAt" IS NULL AND "revokedAt" IS NULL;
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_email_lower" CHECK ("email" = lower("email"));
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_expires_after_created" CHECK ("expiresAt" > "createdAt");
