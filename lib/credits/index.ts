// The credits ledger: the one place where balances change (docs/decisions/003-ledger-consistency.md).
// Everything outside lib/credits enters it here (lint: import/no-restricted-paths, docs/architecture.md).
export {
  debit,
  reserve,
  DEFAULT_HOLD_MS,
  DEFAULT_PENDING_LIMIT,
  type ChargeInput,
  type ReserveInput,
  type ChargeResult,
} from "@/lib/credits/charge";
export { commitReservation, releaseReservation, type CommitResult } from "@/lib/credits/reservations";
export { refund, type RefundResult } from "@/lib/credits/refund";
export { adjust, type AdjustInput } from "@/lib/credits/adjust";
export { changePlan, planRank, type PlanChange } from "@/lib/credits/plans";
export { setSubscriptionState, type PlanStanding, type SubscriptionChange, type SubscriptionState } from "@/lib/credits/subscription";
export { FREE_AFTER_MS, FREE_PLAN_ID, PAUSE_AFTER_MS } from "@/lib/credits/standing";
export { check, type CheckResult } from "@/lib/credits/check";
export { getBalance, type Balance, type BalanceGrant } from "@/lib/credits/balance";
export { addCredits, openLedger } from "@/lib/credits/grants";
export { clawBack, type ClawbackResult } from "@/lib/credits/clawback";
export { freezePurchase, releasePurchase } from "@/lib/credits/purchases";
export { ensureMaintained } from "@/lib/credits/maintenance";
export { sweepCredits } from "@/lib/credits/sweep";
export { checkInvariants, type InvariantReport } from "@/lib/credits/invariants";
export { creditPeriod, periodSource, type Period, type BillingInterval } from "@/lib/credits/periods";
export { recordPaidUsage, type PaidUsageInput } from "@/lib/credits/paid";
// The metering hot path (lib/metering/hot-path.ts) calls credits_track on its own connection and
// settles the row it gets back with these, exactly as debit and reserve do.
export { chargeAgain, parseRow, settleCharge, validateCharge, type RawRow } from "@/lib/credits/charge";
export { applying, budgetDescriptions, budgetNames, budgetStatus, tightestPassed, type BudgetBody } from "@/lib/credits/budgets";
