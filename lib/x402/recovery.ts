import "server-only";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { addCredits } from "@/lib/credits";
import { walletWorkspaceFor } from "@/lib/x402/wallets";

/**
 * Payments that settled on chain but were not recorded (docs/decisions/010-x402.md, "Recovery").
 * payOnce (lib/x402/payments.ts) keeps such a row SETTLING with its transaction hash. From there:
 *  - the recovery job (lib/jobs, every minute) records pack purchases again until one attempt succeeds,
 *    backing off after failures (1, 2, 4 … 60 minutes);
 *  - an operator may record any of them now (a paid call becomes PURCHASED credits for its workspace:
 *    the call itself was answered with an error) or mark it refunded with a note after returning the
 *    USDC by hand; both are audited.
 * Exactly once: every path — the purchase request itself, the job on any instance, an operator — records
 * inside one transaction that first takes the payment's row lock (SELECT … FOR UPDATE) and records only
 * while the row is still SETTLING, then marks it SETTLED in that same transaction. Whoever comes second
 * waits for the lock, then sees SETTLED. The grant's unique (workspace, source `x402:<payment id>`)
 * index backs this up: a second grant of one payment cannot exist.
 */

/** The purchase request records right after settling; the job leaves a payment that young alone. */
export const RECORD_GRACE_MS = 2 * 60 * 1000;
const MAX_BACKOFF_MINUTES = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

export type SettledPayment = { id: string; payer: string; packId: string | null; credits: number; transaction: string; network: string };

/**
 * A payment's PURCHASED grant, once per source: the new grant's id, or the existing one's when that
 * source was granted before (addCredits then grants nothing).
 */
async function purchasedOnce(tx: Tx, input: Omit<Parameters<typeof addCredits>[0], "type">): Promise<string> {
  const grant = await addCredits({ ...input, type: "PURCHASED" }, tx);
  if (grant) return grant.id;
  const existing = await tx.creditGrant.findUniqueOrThrow({
    where: { workspaceId_source: { workspaceId: input.workspaceId, source: input.source } },
    select: { id: true },
  });
  return existing.id;
}

/**
 * A settled pack payment's credits, granted to the payer's wallet workspace (made when it has none) as
 * PURCHASED credits, source `x402:<payment id>`. Returns the existing grant when that source was granted.
 */
export async function creditPackPayment(tx: Tx, payment: SettledPayment, at: Date, options: { issueKey: boolean }) {
  const pack = payment.packId
    ? await tx.creditPack.findUnique({ where: { id: payment.packId }, select: { id: true, validityDays: true } })
    : null;
  const wallet = await walletWorkspaceFor(tx, payment.payer, at, options);
  const source = `x402:${payment.id}`;
  const grantId = await purchasedOnce(tx, {
    workspaceId: wallet.workspaceId,
    credits: payment.credits,
    expiresAt: pack?.validityDays ? new Date(at.getTime() + pack.validityDays * DAY_MS) : null,
    source,
    reason: `Credit pack ${payment.packId ?? "?"} paid with x402 (USDC, ${payment.network}) by ${payment.payer}`,
    reference: payment.transaction,
    at,
  });
  return { ...wallet, grantId };
}

/**
 * Takes the payment's row lock for the rest of the transaction and returns the row: the one
 * serialisation point of everything that records or resolves a payment.
 */
export async function lockPayment(tx: Tx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "X402Payment" WHERE id = ${id} FOR UPDATE`;
  return tx.x402Payment.findUnique({ where: { id } });
}

type Operator = { id: string };
export type RecordOutcome = {
  outcome: "recorded" | "already_recorded";
  workspaceId: string | null;
  grantId: string | null;
  credits: number;
};

/**
 * Records a settled, unrecorded payment: a pack's credits for the wallet (job and operator), or — an
 * operator only — a paid call's credits as PURCHASED credits for the workspace it was for. Already
 * SETTLED → "already_recorded", nothing changes. Refunded or not settled → 409.
 */
export async function recordSettledPayment(
  id: string,
  options: { at?: Date; operator?: Operator; reason?: string } = {},
): Promise<RecordOutcome> {
  const reason = options.operator ? requiredReason(options.reason) : null;
  const at = options.at ?? now();
  return db.$transaction(async (tx) => {
    const payment = await lockPayment(tx, id);
    if (!payment) throw new AppError("not_found", "No such x402 payment.");
    if (payment.status === "SETTLED")
      return { outcome: "already_recorded", workspaceId: payment.workspaceId, grantId: payment.grantId, credits: payment.credits };
    if (payment.status === "REFUNDED") throw new AppError("conflict", "This payment was marked refunded; it cannot be credited as well.");
    if (!payment.transaction)
      throw new AppError("conflict", "This payment has not settled (no transaction): nothing was paid, so there is nothing to record.");
    let recorded: { workspaceId: string; grantId: string };
    if (payment.purpose === "CREDITS") {
      recorded = await creditPackPayment(tx, { ...payment, transaction: payment.transaction }, at, { issueKey: false });
    } else {
      // A paid call that failed to record: the call was answered with an error, so its price becomes credits.
      if (!options.operator)
        throw new AppError("conflict", "A paid call that was not recorded is resolved by an operator (credit or refund).");
      if (!payment.workspaceId) throw new AppError("conflict", "This payment names no workspace to credit.");
      const grantId = await purchasedOnce(tx, {
        workspaceId: payment.workspaceId,
        credits: payment.credits,
        expiresAt: null,
        source: `x402:${payment.id}`,
        reason: `x402 payment for ${payment.actionKey ?? "a call"} that was not recorded, credited by an operator: ${reason}`,
        reference: payment.transaction,
        actor: { userId: options.operator.id },
        at,
      });
      recorded = { workspaceId: payment.workspaceId, grantId };
    }
    await tx.x402Payment.update({
      where: { id },
      data: {
        status: "SETTLED",
        settledAt: at,
        workspaceId: recorded.workspaceId,
        grantId: recorded.grantId,
        recordError: null,
        retryAt: null,
      },
    });
    if (options.operator) {
      await auditPayment(tx, { operator: options.operator, action: "x402_payment.record", payment, reason, at }, recorded);
    }
    return { outcome: "recorded", workspaceId: recorded.workspaceId, grantId: recorded.grantId, credits: payment.credits };
  });
}

/**
 * An operator returned a stuck payment's USDC on chain by hand: the payment is closed as REFUNDED with
 * their note (e.g. the refund's transaction), never credited afterwards, and audited.
 */
export async function markPaymentRefunded(id: string, operator: Operator, note: string | undefined): Promise<void> {
  const reason = requiredReason(note);
  const at = now();
  await db.$transaction(async (tx) => {
    const payment = await lockPayment(tx, id);
    if (!payment) throw new AppError("not_found", "No such x402 payment.");
    if (payment.status === "SETTLED")
      throw new AppError("conflict", "This payment was recorded (credited) already; it cannot be marked refunded.");
    if (payment.status === "REFUNDED") throw new AppError("conflict", "This payment is marked refunded already.");
    if (!payment.transaction)
      throw new AppError("conflict", "This payment has not settled (no transaction): no USDC moved, so there is nothing to refund.");
    await tx.x402Payment.update({ where: { id }, data: { status: "REFUNDED", note: reason, refundedAt: at, retryAt: null } });
    await auditPayment(
      tx,
      { operator, action: "x402_payment.refund", payment, reason, at },
      { amount: payment.amount.toString(), workspaceId: payment.workspaceId },
    );
  });
}

/** An operator's audit entry about a payment: what it was, and what they did (`more`). */
async function auditPayment(
  tx: Tx,
  entry: {
    operator: Operator;
    action: string;
    payment: { id: string; purpose: string; payer: string; transaction: string | null; credits: number };
    reason: string | null;
    at: Date;
  },
  more: Record<string, string | null>,
): Promise<void> {
  const { payment } = entry;
  await tx.auditLog.create({
    data: {
      actorUserId: entry.operator.id,
      action: entry.action,
      targetType: "x402_payment",
      targetId: payment.id,
      reason: entry.reason,
      data: { purpose: payment.purpose, payer: payment.payer, transaction: payment.transaction, credits: payment.credits, ...more },
      createdAt: entry.at,
    },
  });
}

function requiredReason(reason: string | undefined): string {
  const r = reason?.trim() ?? "";
  if (!r)
    throw new AppError("validation_failed", "Say why (the audit log keeps it): e.g. the ticket, or the refund's transaction.", {
      details: { field: "reason" },
    });
  if (r.length > 500) throw new AppError("validation_failed", "Keep the reason under 500 characters.", { details: { field: "reason" } });
  return r;
}

/**
 * The job: records every pack payment that settled but is still unrecorded past the grace period and
 * due for a retry. A failure is kept on the row (attempts, error) and retried later, doubling the wait up
 * to an hour, until it is recorded or an operator resolves it. Safe on any number of instances at once.
 */
export async function recoverSettledPayments(options: { at?: Date; limit?: number } = {}): Promise<{ recorded: number; failed: number }> {
  const at = options.at ?? now();
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "X402Payment"
     WHERE status = 'SETTLING' AND purpose = 'CREDITS' AND "transaction" IS NOT NULL
       AND "createdAt" <= ${new Date(at.getTime() - RECORD_GRACE_MS)}::timestamp(3)
       AND ("retryAt" IS NULL OR "retryAt" <= ${at}::timestamp(3))
     ORDER BY "createdAt" LIMIT ${options.limit ?? 100}`;
  let recorded = 0;
  let failed = 0;
  for (const { id } of due) {
    try {
      if ((await recordSettledPayment(id, { at })).outcome === "recorded") recorded++;
    } catch (err) {
      failed++;
      await noteRecordFailure(id, err, at);
    }
  }
  return { recorded, failed };
}

/** Keeps why recording failed on the row and when the job tries again (1, 2, 4 … 60 minutes). */
export async function noteRecordFailure(id: string, err: unknown, at: Date): Promise<void> {
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
  await db.$executeRaw`
    UPDATE "X402Payment"
       SET "recordAttempts" = "recordAttempts" + 1,
           "recordError" = ${message},
           "retryAt" = ${at}::timestamp(3) + least(power(2, "recordAttempts"), ${MAX_BACKOFF_MINUTES}) * interval '1 minute'
     WHERE id = ${id} AND status = 'SETTLING'`;
}
