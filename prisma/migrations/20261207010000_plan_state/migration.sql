-- Plan state on Billing (issue 18): the running trial's end and the subscription's current billing
-- period end, copied from Stripe by every convergence so the page derives the plan state without a
-- Stripe call.

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "billingPeriodEnd" TIMESTAMP(3),
ADD COLUMN     "trialEndsAt" TIMESTAMP(3);
