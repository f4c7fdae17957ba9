-- Portal sessions (issue 23, docs/decisions/019-portal-sessions.md): billing shown inside the AI product.
-- The AI product's backend asks for a link (POST /api/v1/portal_sessions); the link's token is single-use
-- and stored only as its SHA-256; opening it starts a session bounded in time whose own secret (again
-- only its SHA-256 here) lets the page refresh its figures without cookies.

-- CreateEnum
CREATE TYPE "PortalRole" AS ENUM ('OWNER', 'MEMBER', 'VIEWER');

-- CreateEnum
CREATE TYPE "PortalMode" AS ENUM ('HOSTED', 'EMBEDDED');

-- AlterTable
ALTER TABLE "ApiClient" ADD COLUMN     "allowedOrigins" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "PortalSession" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "apiClientId" TEXT NOT NULL,
    "userRef" TEXT NOT NULL,
    "userEmail" TEXT NOT NULL,
    "userName" TEXT,
    "role" "PortalRole" NOT NULL,
    "mode" "PortalMode" NOT NULL,
    "returnUrl" TEXT,
    "productName" TEXT,
    "tokenHash" TEXT NOT NULL,
    "tokenExpiresAt" TIMESTAMP(3) NOT NULL,
    "openedAt" TIMESTAMP(3),
    "secretHash" TEXT,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PortalSession_tokenHash_key" ON "PortalSession"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "PortalSession_secretHash_key" ON "PortalSession"("secretHash");

-- CreateIndex
CREATE INDEX "PortalSession_workspaceId_idx" ON "PortalSession"("workspaceId");

-- AddForeignKey
ALTER TABLE "PortalSession" ADD CONSTRAINT "PortalSession_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalSession" ADD CONSTRAINT "PortalSession_apiClientId_fkey" FOREIGN KEY ("apiClientId") REFERENCES "ApiClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- hand-written: an opened session has its secret and its end, an unopened one neither.
ALTER TABLE "PortalSession" ADD CONSTRAINT "PortalSession_opened_check" CHECK (("openedAt" IS NULL) = ("secretHash" IS NULL) AND ("openedAt" IS NULL) = ("expiresAt" IS NULL));
