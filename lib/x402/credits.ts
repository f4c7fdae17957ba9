import "server-only";
import { db } from "@/lib/db";
import { appUrl, x402Config } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatCents } from "@/lib/format";
import { getBalance } from "@/lib/credits";
import type { ApiResult } from "@/lib/metering/responses";
import type { X402CreditsBody, X402SettledNotRecordedBody } from "@/lib/metering/response-schemas";
import { now } from "@/lib/clock";
import { clientIp } from "@/lib/client-address";
import { hitRateLimit } from "@/lib/rate-limit";
import { PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER, paymentResponseHeader, quote } from "@/lib/x402/protocol";
import { payOnce, SettledNotRecorded } from "@/lib/x402/payments";
import { creditPackPayment } from "@/lib/x402/recovery";
import { walletWorkspace } from "@/lib/x402/wallets";

/** Calls of the public purchase route per client IP and hour: it asks the facilitator to verify whatever it is sent. */
export const X402_PURCHASES_PER_IP_HOUR = 300;
const HOUR_MS = 60 * 60 * 1000;

async function throttle(req: Request): Promise<void> {
  const limit = await hitRateLimit(`x402:credits:ip:${clientIp(req.headers)}`, X402_PURCHASES_PER_IP_HOUR, HOUR_MS, now());
  if (!limit.allowed) {
    const seconds = Math.max(1, Math.ceil((limit.resetAt.getTime() - Date.now()) / 1000));
    throw new AppError("rate_limited", `This address made ${limit.limit} purchase requests this hour, the limit.`, {
      nextStep: "Wait until the window resets (Retry-After).",
      details: { limit: limit.limit, reset_at: limit.resetAt.toISOString() },
      headers: { "Retry-After": String(seconds) },
    });
  }
}

export { walletWorkspace } from "@/lib/x402/wallets";

export function assertX402Enabled(): void {
  if (!x402Config().enabled) {
    throw new AppError("not_found", "Pay-per-call with x402 is turned off on this server.", {
      nextStep: "GET /api/x402/status says whether it is on.",
    });
  }
}

/**
 * POST /api/x402/credits {pack_id}: a credit pack paid in USDC. Unpaid → 402 with the requirements
 * (PAYMENT-REQUIRED). Paid → the payer's wallet workspace (made on its first payment, with an API key
 * returned once) gets the pack as PURCHASED credits through the ledger (source x402:<payment>, once).
 */
/** A payment as the answers describe it: its settlement, who paid, and what was asked for. */
function paymentFacts(
  settlement: { transaction: string; network: string },
  payer: string,
  q: { requirements: { amount: string; asset: string }[] },
) {
  return {
    transaction: settlement.transaction,
    network: settlement.network,
    payer,
    amount: q.requirements[0]!.amount,
    asset: q.requirements[0]!.asset,
  };
}

export async function buyCreditsWithX402(req: Request, packId: string): Promise<ApiResult<X402CreditsBody | X402SettledNotRecordedBody>> {
  assertX402Enabled();
  await throttle(req);
  const pack = await db.creditPack.findUnique({ where: { id: packId } });
  if (!pack || !pack.active) {
    throw new AppError("invalid_pack", `No credit pack "${packId}" is on sale.`, {
      nextStep: "GET /api/v1/pricing lists the packs.",
      details: { field: "pack_id" },
    });
  }
  const q = await quote(
    { cents: pack.priceCents, credits: pack.credits },
    { url: appUrl("/api/x402/credits"), description: `${pack.name}: ${pack.credits} credits` },
  );
  const header = req.headers.get(PAYMENT_SIGNATURE_HEADER);
  if (!header) {
    throw new AppError(
      "payment_required",
      `The ${pack.name} pack (${pack.credits} credits) costs ${formatCents(pack.priceCents)} in USDC, paid with x402.`,
      {
        nextStep:
          "Sign the requirements in the PAYMENT-REQUIRED header with your wallet (e.g. @x402/fetch) and retry with PAYMENT-SIGNATURE.",
        details: { pack_id: pack.id, credits: pack.credits, x402: q.paymentRequired },
        headers: { [PAYMENT_REQUIRED_HEADER]: q.header },
      },
    );
  }

  let paid;
  try {
    paid = await payOnce(header, q, { purpose: "CREDITS", credits: pack.credits, packId: pack.id }, (tx, p) =>
      creditPackPayment(
        tx,
        {
          id: p.paymentId,
          payer: p.payer,
          packId: pack.id,
          credits: pack.credits,
          transaction: p.settlement.transaction,
          network: p.settlement.network,
        },
        p.at,
        { issueKey: true },
      ),
    );
  } catch (err) {
    // The money moved but the credits were not recorded: 202, the recovery job grants them (lib/x402/recovery.ts).
    // A 2xx, so a paying client does not pay again.
    if (!(err instanceof SettledNotRecorded)) throw err;
    return {
      status: 202,
      body: {
        status: "settled_not_recorded",
        message: `Your payment settled; the ${pack.credits} credits are added automatically within minutes. Do not pay again.`,
        external_id: walletWorkspace(err.payer).externalId,
        pack_id: pack.id,
        credits: pack.credits,
        payment: { id: err.paymentId, ...paymentFacts(err.settlement, err.payer, q) },
      },
      headers: paymentResponseHeader(err.settlement),
    };
  }

  const workspaceId = paid.result.workspaceId;
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { externalId: true } });
  const balance = await getBalance(workspaceId);
  return {
    status: paid.result.created ? 201 : 200,
    body: {
      workspace_id: workspaceId,
      external_id: workspace.externalId,
      workspace_created: paid.result.created,
      // Shown once, when the wallet's workspace gets its key; only its hash is stored.
      ...(paid.result.key ? { api_key: paid.result.key } : {}),
      pack_id: pack.id,
      credits_granted: pack.credits,
      remaining: balance.remaining,
      payment: paymentFacts(paid.settlement, paid.payer, q),
    },
    headers: paymentResponseHeader(paid.settlement),
  };
}
