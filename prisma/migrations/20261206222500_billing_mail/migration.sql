-- Billing mail (issue 18): a unique key per mail occurrence and recipient on the outbox, so a mail is
-- written (and sent) once however often its occurrence is seen; and the per-user opt-out of usage notices.

-- AlterTable
ALTER TABLE "MailMessage" ADD COLUMN     "dedupeKey" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "usageMailOptOutAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_dedupeKey_key" ON "MailMessage"("dedupeKey");
