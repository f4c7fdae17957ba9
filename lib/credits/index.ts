// The credits ledger: the one place where balances change (docs/decisions/003-ledger-consistency.md).
export { debit, reserve, DEFAULT_HOLD_MS, DEFAULT_PENDING_LIMIT, type ChargeInput, type ReserveInput, type ChargeResult } from "@/lib/credits/charge";
export { commitReservation, releaseReservation, type CommitResult } from "@/lib/credits/reservations";
export { refund, type RefundResult } from "@/lib/credits/refund";
export { adjust, type AdjustInput } from "@/lib/credits/adjust";
export { changePlan, planRank, type PlanChange } from "@/lib/credits/plans";
export { setSubscriptionState, type PlanStanding, type SubscriptionChange, type SubscriptionState } from "@/lib/credits/subscription";
export { FREE_AFTER_MS, FREE_PLAN_ID, PAUSE_AFTER_MS } from "@/lib/credits/standing";
export { check, type CheckResult } from "@/lib/credits/check";
export { getBalance, type Balance, type BalanceGrant } from "@/lib/credits/balance";
export { addCredits } from "@/lib/credits/grants";
export { clawBack, type ClawbackResult } from "@/lib/credits/clawback";
export { freezePurchase, releasePurchase } from "@/lib/credits/freeze";
export { ensureMaintained } from "@/lib/credits/maintenance";
export { checkInvariants, type InvariantReport } from "@/lib/credits/invariants";
export { creditPeriod, type Period, type BillingInterval } from "@/lib/credits/periods";
export { recordPaidUsage, type PaidUsageInput } from "@/lib/credits/paid";
