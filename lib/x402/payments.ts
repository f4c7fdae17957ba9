import "server-only";
import { z } from "zod";
import type { SettleResponse } from "@x402/core/types";
import { db, type Tx } from "@/lib/db";
import { now } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { Prisma, type X402Purpose } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { decodePayment, paymentInvalid, resourceServer, settle, verify, type Quote } from "@/lib/x402/protocol";
import { lockPayment, noteRecordFailure } from "@/lib/x402/recovery";

/**
 * Paying once (docs/decisions/010-x402.md). The order makes a replay impossible and keeps refused
 * payments out of the database:
 *  1. decode PAYMENT-SIGNATURE and match it to the quote (amount, network, token, payTo);
 *  2. a payment already in X402Payment → payment_replayed (nothing settled, nothing recorded);
 *  3. the facilitator verifies it (signature, validity window, nonce) — a refusal records nothing;
 *  4. claim it: INSERT the X402Payment row, committed before anything is settled. Its unique
 *     (network, asset, payer, nonce) index lets exactly one of any number of concurrent requests
 *     carrying the same payment through; the others get payment_replayed and never reach settle;
 *  5. settle through the facilitator. Refused → the claim is deleted (nothing recorded);
 *  6. record what it paid for (a grant or a usage event) and mark the row SETTLED, in one transaction
 *     under the payment's row lock.
 * If step 6 fails after the money moved, the row stays SETTLING with its transaction hash and the error:
 * the recovery job records pack purchases again until it succeeds, and the operator console offers to
 * credit or refund any of them (lib/x402/recovery.ts). It is never silently lost.
 */

/** The EIP-3009 authorization inside an exact EVM payment: who pays, and its one-time nonce. */
const exactEvmPayload = z.object({
  authorization: z.object({
    from: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    nonce: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  }),
  signature: z.string().min(1),
});

/** The facilitator's reason for an authorization whose nonce the token contract has already seen. */
const NONCE_USED = "invalid_exact_evm_nonce_already_used";

export type Paid<T> = { settlement: SettleResponse; paymentId: string; payer: string; result: T };

export type PaymentPurpose = {
  purpose: X402Purpose;
  credits: number;
  workspaceId?: string | null;
  packId?: string | null;
  actionKey?: string | null;
};

export async function payOnce<T>(
  header: string,
  q: Quote,
  purpose: PaymentPurpose,
  record: (
    tx: Tx,
    paid: { payer: string; settlement: SettleResponse; paymentId: string; at: Date },
  ) => Promise<T & { workspaceId: string; grantId?: string | null; usageEventId?: string | null }>,
): Promise<Paid<T>> {
  const payload = decodePayment(header, q);
  if (payload.x402Version !== 2) throw paymentInvalid(q, "unsupported_version", "only x402 version 2 payments are accepted.");
  const server = await resourceServer();
  const requirements = server.findMatchingRequirements(q.requirements, payload);
  if (!requirements) {
    throw paymentInvalid(q, "requirements_mismatch", "it does not match this request's price, network, token or recipient.");
  }
  const parsed = exactEvmPayload.safeParse(payload.payload);
  if (!parsed.success) throw paymentInvalid(q, "invalid_payload", "it is not an EIP-3009 authorization (the exact EVM scheme).");
  const identity = {
    network: requirements.network,
    asset: requirements.asset.toLowerCase(),
    payer: parsed.data.authorization.from.toLowerCase(),
    nonce: parsed.data.authorization.nonce.toLowerCase(),
  };

  const known = () => db.x402Payment.findUnique({ where: { network_asset_payer_nonce: identity }, select: { id: true } });
  if (await known()) throw replayed();

  const verdict = await verify(payload, requirements);
  if (!verdict.isValid) {
    // A copy of this payment settled while we asked (or it was spent elsewhere): that is a replay.
    if (verdict.invalidReason === NONCE_USED || (await known())) throw replayed();
    throw paymentInvalid(q, verdict.invalidReason ?? "invalid_payment", verdict.invalidMessage ?? "the facilitator refused it.");
  }

  let claim: { id: string };
  try {
    claim = await db.x402Payment.create({
      data: {
        ...identity,
        purpose: purpose.purpose,
        payTo: requirements.payTo.toLowerCase(),
        amount: BigInt(requirements.amount),
        credits: purpose.credits,
        workspaceId: purpose.workspaceId ?? null,
        packId: purpose.packId ?? null,
        actionKey: purpose.actionKey ?? null,
        createdAt: now(),
      },
      select: { id: true },
    });
  } catch (err) {
    // The unique (network, asset, payer, nonce) index: another request carries the same payment.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw replayed();
    throw err;
  }

  let settlement: SettleResponse;
  try {
    settlement = await settle(payload, requirements);
  } catch (err) {
    await db.x402Payment.delete({ where: { id: claim.id } });
    throw err;
  }
  if (!settlement.success || !settlement.transaction) {
    await db.x402Payment.delete({ where: { id: claim.id } });
    throw paymentInvalid(
      q,
      settlement.errorReason ?? "settlement_failed",
      settlement.errorMessage ?? "the facilitator could not settle it.",
    );
  }
  // The money has moved: keep the transaction hash even if recording below fails.
  await db.x402Payment.update({ where: { id: claim.id }, data: { transaction: settlement.transaction } });

  const at = now();
  let result: T & { workspaceId: string };
  try {
    result = await db.$transaction(async (tx) => {
      // The payment's row lock: the recovery job and operators record under it too, and only while the
      // row is SETTLING (lib/x402/recovery.ts), so a payment is recorded exactly once.
      const row = await lockPayment(tx, claim.id);
      if (row?.status !== "SETTLING")
        throw new AppError("conflict", "This payment was recorded or resolved meanwhile (by the recovery job or an operator).");
      const out = await record(tx, { payer: identity.payer, settlement, paymentId: claim.id, at });
      await tx.x402Payment.update({
        where: { id: claim.id },
        data: {
          status: "SETTLED",
          settledAt: at,
          workspaceId: out.workspaceId,
          grantId: out.grantId ?? null,
          usageEventId: out.usageEventId ?? null,
        },
      });
      return out;
    });
  } catch (err) {
    if (err instanceof AppError && err.code === "conflict") throw err;
    // The money moved but nothing was recorded: the row stays SETTLING with its transaction and the error,
    // for the recovery job and the operator console.
    logger().error({ err, paymentId: claim.id, transaction: settlement.transaction }, "x402 payment settled but not recorded");
    await noteRecordFailure(claim.id, err, at).catch(() => undefined);
    throw new SettledNotRecorded(settlement, claim.id, identity.payer, err instanceof AppError ? err : null);
  }
  return { settlement, paymentId: claim.id, payer: identity.payer, result };
}

/**
 * Settled on chain, not recorded (an error after the money moved). The payment is kept: pack purchases
 * are recorded by the recovery job, paid calls are credited or refunded by an operator.
 */
export class SettledNotRecorded extends AppError {
  constructor(
    readonly settlement: SettleResponse,
    readonly paymentId: string,
    readonly payer: string,
    cause: AppError | null,
  ) {
    // Not retryable: a retry would be a second payment for the same request.
    super(
      "payment_unrecorded",
      `Your payment settled on chain (transaction ${settlement.transaction}) but could not be recorded${cause ? ` (${cause.message})` : " just now"}. It is kept and will not be lost.`,
      {
        nextStep:
          "Do not pay again for this request: the payment is recorded automatically (credit packs) or credited or refunded by an operator (paid calls).",
        details: {
          payment_id: paymentId,
          transaction: settlement.transaction,
          network: settlement.network,
          ...(cause ? { reason: cause.code } : {}),
        },
      },
    );
  }
}

function replayed(): AppError {
  return new AppError("payment_replayed", "This payment was already used: an x402 payment pays for one request only.", {
    nextStep: "Sign a new payment (a new authorization nonce) for the requirements in PAYMENT-REQUIRED.",
  });
}
