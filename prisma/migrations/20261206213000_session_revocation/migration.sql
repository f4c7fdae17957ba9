-- Sessions end server-side (docs/decisions/013-sessions-and-redirects.md): a per-user session version
-- (raised by a password reset or "sign out everywhere") and the ids of signed-out sessions.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
-- Sessions from before this migration carry no version (they count as 0): for users who reset their
-- password, those sessions were refused by the old "began before the password changed" rule, and stay so.
UPDATE "User" SET "sessionVersion" = 1 WHERE "passwordChangedAt" IS NOT NULL;

CREATE TABLE "RevokedSession" (
    "sid" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RevokedSession_pkey" PRIMARY KEY ("sid")
);
CREATE INDEX "RevokedSession_expiresAt_idx" ON "RevokedSession"("expiresAt");
ALTER TABLE "RevokedSession" ADD CONSTRAINT "RevokedSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rate-limit windows are deleted by the jobs sweep once long over.
CREATE INDEX "RateLimitCounter_windowStart_idx" ON "RateLimitCounter"("windowStart");
