import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { appUrl, x402Config } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatCents } from "@/lib/format";
import { addCredits, getBalance } from "@/lib/credits";
import { createApiKey } from "@/lib/metering/keys";
import type { ApiResult } from "@/lib/metering/responses";
import { createWorkspace } from "@/lib/workspaces/create";
import { now } from "@/lib/clock";
import { clientIp } from "@/lib/client-address";
import { hitRateLimit } from "@/lib/rate-limit";
import { PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER, paymentResponseHeader, quote } from "@/lib/x402/protocol";
import { payOnce } from "@/lib/x402/payments";

const DAY_MS = 24 * 60 * 60 * 1000;
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

/**
 * A wallet's workspace, derived from the lower-cased address (as seed 003's provider does): the same
 * wallet always lands in the same workspace, whichever instance serves it.
 */
export function walletWorkspace(address: string): { id: string; externalId: string; name: string } {
  const lower = address.toLowerCase();
  return {
    id: `x402_${createHash("sha256").update(lower).digest("hex").slice(0, 24)}`,
    externalId: `x402:${lower}`,
    name: `Wallet ${lower.slice(0, 6)}…${lower.slice(-4)}`,
  };
}

export function assertX402Enabled(): void {
  if (!x402Config().enabled) {
    throw new AppError("not_found", "Pay-per-call with x402 is turned off on this server.", { nextStep: "GET /api/x402/status says whether it is on." });
  }
}

/**
 * POST /api/x402/credits {pack_id}: a credit pack paid in USDC. Unpaid → 402 with the requirements
 * (PAYMENT-REQUIRED). Paid → the payer's wallet workspace (made on its first payment, with an API key
 * returned once) gets the pack as PURCHASED credits through the ledger (source x402:<payment>, once).
 */
export async function buyCreditsWithX402(req: Request, packId: string): Promise<ApiResult> {
  assertX402Enabled();
  await throttle(req);
  const pack = await db.creditPack.findUnique({ where: { id: packId } });
  if (!pack || !pack.active) {
    throw new AppError("invalid_pack", `No credit pack "${packId}" is on sale.`, { nextStep: "GET /api/v1/pricing lists the packs.", details: { field: "pack_id" } });
  }
  const q = await quote({ cents: pack.priceCents, credits: pack.credits }, { url: appUrl("/api/x402/credits"), description: `${pack.name}: ${pack.credits} credits` });
  const header = req.headers.get(PAYMENT_SIGNATURE_HEADER);
  if (!header) {
    throw new AppError("payment_required", `The ${pack.name} pack (${pack.credits} credits) costs ${formatCents(pack.priceCents)} in USDC, paid with x402.`, {
      nextStep: "Sign the requirements in the PAYMENT-REQUIRED header with your wallet (e.g. @x402/fetch) and retry with PAYMENT-SIGNATURE.",
      details: { pack_id: pack.id, credits: pack.credits, x402: q.paymentRequired },
      headers: { [PAYMENT_REQUIRED_HEADER]: q.header },
    });
  }

  const paid = await payOnce(header, q, { purpose: "CREDITS", credits: pack.credits, packId: pack.id }, async (tx, p) => {
    const wallet = walletWorkspace(p.payer);
    // The workspace lock's key (lib/credits/ledger.ts lockWorkspace), taken before the workspace exists:
    // two first payments of one wallet at once make one workspace and one key; the second waits, then finds it.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${wallet.id}, 0))`;
    const existing = await tx.workspace.findUnique({ where: { id: wallet.id }, select: { id: true } });
    let key: string | null = null;
    if (!existing) {
      await createWorkspace(tx, { id: wallet.id, name: wallet.name, externalId: wallet.externalId, signupBonus: false, at: p.at });
      key = (await createApiKey({ kind: "WORKSPACE", workspaceId: wallet.id, name: "x402 wallet key" }, tx)).key;
    }
    const grant = await addCredits(
      {
        workspaceId: wallet.id,
        type: "PURCHASED",
        credits: pack.credits,
        expiresAt: pack.validityDays ? new Date(p.at.getTime() + pack.validityDays * DAY_MS) : null,
        source: `x402:${p.paymentId}`,
        reason: `Credit pack ${pack.id} paid with x402 (USDC, ${p.settlement.network}) by ${p.payer}`,
        reference: p.settlement.transaction,
        at: p.at,
      },
      tx,
    );
    return { workspaceId: wallet.id, grantId: grant?.id ?? null, key, created: !existing };
  });

  const wallet = walletWorkspace(paid.payer);
  const balance = await getBalance(wallet.id);
  return {
    status: paid.result.created ? 201 : 200,
    body: {
      workspace_id: wallet.id,
      external_id: wallet.externalId,
      workspace_created: paid.result.created,
      // Shown once, when the wallet's workspace is made; only its hash is stored.
      ...(paid.result.key ? { api_key: paid.result.key } : {}),
      pack_id: pack.id,
      credits_granted: pack.credits,
      remaining: balance.remaining,
      payment: { transaction: paid.settlement.transaction, network: paid.settlement.network, payer: paid.payer, amount: q.requirements[0]!.amount, asset: q.requirements[0]!.asset },
    },
    headers: paymentResponseHeader(paid.settlement),
  };
}
