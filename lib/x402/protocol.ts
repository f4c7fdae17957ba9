import { HTTPFacilitatorClient, x402ResourceServer } from "@x402/core/server";
import { decodePaymentSignatureHeader, encodePaymentRequiredHeader, encodePaymentResponseHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequired, PaymentRequirements, SettleResponse, VerifyResponse } from "@x402/core/types";
import { getDefaultAsset } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { AppError } from "@/lib/errors";
import { x402Config, type X402Config } from "@/lib/env";

/**
 * The x402 protocol through the official packages (@x402/core's resource server and facilitator client,
 * @x402/evm's exact scheme): payment requirements, the PAYMENT-REQUIRED / PAYMENT-SIGNATURE /
 * PAYMENT-RESPONSE headers, verify and settle. No protocol encoding of our own
 * (docs/decisions/010-x402.md).
 */

/** USDC has 6 decimals: $0.01 (a cent, and 1 credit) is 10,000 atomic units. */
export const ATOMIC_UNITS_PER_CENT = 10_000n;
export const PAYMENT_SIGNATURE_HEADER = "PAYMENT-SIGNATURE";
export const PAYMENT_REQUIRED_HEADER = "PAYMENT-REQUIRED";
export const PAYMENT_RESPONSE_HEADER = "PAYMENT-RESPONSE";
/** How long a signed authorization stays valid (the requirements' maxTimeoutSeconds). */
const MAX_TIMEOUT_SECONDS = 300;

export function centsToAtomic(cents: number): string {
  return (BigInt(cents) * ATOMIC_UNITS_PER_CENT).toString();
}

/** The USDC contract of the configured network (address, EIP-712 name and version). */
export function usdcOf(network: X402Config["network"]) {
  return getDefaultAsset(network);
}

// One resource server per facilitator and network, initialised once (it asks the facilitator's /supported).
// A failed initialisation is forgotten, so the next request tries again.
const cache = globalThis as unknown as { __creditbookX402?: { key: string; server: Promise<x402ResourceServer> } };

export function resourceServer(config: X402Config = x402Config()): Promise<x402ResourceServer> {
  if (!config.facilitatorUrl) throw new AppError("not_found", "Pay-per-call with x402 is turned off on this server.");
  const key = `${config.facilitatorUrl}|${config.network}`;
  if (cache.__creditbookX402?.key !== key) {
    const server = new x402ResourceServer(new HTTPFacilitatorClient({ url: config.facilitatorUrl, timeoutMs: 15_000 })).register(
      config.network,
      new ExactEvmScheme(),
    );
    const ready = server.initialize().then(() => server);
    const entry = { key, server: ready };
    ready.catch(() => {
      if (cache.__creditbookX402 === entry) cache.__creditbookX402 = undefined;
    });
    cache.__creditbookX402 = entry;
  }
  return cache.__creditbookX402!.server.catch((err: unknown) => {
    throw facilitatorDown(err);
  });
}

function facilitatorDown(err: unknown): AppError {
  console.error("[x402] facilitator unreachable:", err instanceof Error ? err.message : err);
  return new AppError("service_unavailable", "The x402 payment facilitator cannot be reached right now.", {
    nextStep: "Retry in a moment, or pay with credits (buy a pack).",
  });
}

export type Quote = {
  credits: number;
  requirements: PaymentRequirements[];
  paymentRequired: PaymentRequired;
  /** The PAYMENT-REQUIRED header (base64 JSON of paymentRequired). */
  header: string;
};

/**
 * A ceiling quote for `credits` costing `cents` (1 credit = $0.01, so the two are equal for an action),
 * in USDC atomic units, payable to the configured wallet on the configured network, for `resource`.
 */
export async function quote(
  price: { cents: number; credits: number },
  resource: { url: string; description: string },
  error?: string,
): Promise<Quote> {
  const { cents, credits } = price;
  const config = x402Config();
  const server = await resourceServer(config);
  const usdc = usdcOf(config.network);
  const requirements = await server.buildPaymentRequirements({
    scheme: "exact",
    network: config.network,
    payTo: config.payTo,
    price: { amount: centsToAtomic(cents), asset: usdc.asset, extra: { name: usdc.name, version: usdc.version } },
    maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
    extra: { pricing_model: "ceiling-quote", credits },
  });
  const paymentRequired = await server.createPaymentRequiredResponse(requirements, { ...resource, mimeType: "application/json" }, error);
  return { credits, requirements, paymentRequired, header: encodePaymentRequiredHeader(paymentRequired) };
}

/** The PAYMENT-SIGNATURE header as a payment payload, or a 402 saying it is unreadable. */
export function decodePayment(header: string, q: Quote): PaymentPayload {
  try {
    return decodePaymentSignatureHeader(header);
  } catch {
    throw paymentInvalid(q, "invalid_payload", "The PAYMENT-SIGNATURE header is not an x402 payment payload (base64 JSON).");
  }
}

export function paymentInvalid(q: Quote, reason: string, message: string): AppError {
  return new AppError("payment_invalid", `The payment was refused: ${message}`, {
    nextStep: "Sign a new payment for the requirements in the PAYMENT-REQUIRED header and retry.",
    details: { reason, x402: q.paymentRequired },
    headers: { [PAYMENT_REQUIRED_HEADER]: q.header },
  });
}

/** The facilitator's verdict (a refusal is a result, not an exception). */
export function verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
  return askFacilitator(
    (server) => server.verifyPayment(payload, requirements),
    (refused) => ({ isValid: false, invalidReason: refused.reason, invalidMessage: refused.message }),
  );
}

/** Settles on chain through the facilitator; a refusal comes back as success: false. */
export function settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
  return askFacilitator(
    (server) => server.settlePayment(payload, requirements),
    (refused) => ({
      success: false,
      errorReason: refused.reason,
      errorMessage: refused.message,
      transaction: "",
      network: requirements.network,
    }),
  );
}

/** Asks the facilitator through the resource server: its refusal becomes `refusedAs`'s result; being unreachable, 503. */
async function askFacilitator<T>(
  ask: (server: x402ResourceServer) => Promise<T>,
  refusedAs: (refused: { reason: string; message: string }) => T,
): Promise<T> {
  const server = await resourceServer();
  try {
    return await ask(server);
  } catch (err) {
    const refused = refusal(err);
    if (refused) return refusedAs(refused);
    throw facilitatorDown(err);
  }
}

/** VerifyError / SettleError from @x402/core carry the facilitator's reason. */
function refusal(err: unknown): { reason: string; message: string } | null {
  if (!err || typeof err !== "object") return null;
  const e = err as { invalidReason?: string; invalidMessage?: string; errorReason?: string; errorMessage?: string };
  const reason = e.invalidReason ?? e.errorReason;
  if (!reason) return null;
  return { reason, message: e.invalidMessage ?? e.errorMessage ?? reason };
}

export function paymentResponseHeader(settlement: SettleResponse): Record<string, string> {
  return { [PAYMENT_RESPONSE_HEADER]: encodePaymentResponseHeader(settlement) };
}
