// The facilitator's checks of an x402 "exact" EVM payment (EIP-3009 transferWithAuthorization), as a
// real facilitator makes them before it submits the transfer on chain: the payment matches the
// requirements (scheme, network, token, recipient, amount), the authorization is inside its validity
// window, its nonce was never used, and the EIP-712 signature really is the payer's (viem recovers it).
// Only the chain is emulated: every wallet has enough USDC and settling is instant.
import { getAddress, isAddress, isHex, verifyTypedData, type Hex } from "viem";
import { authorizationTypes, getDefaultAsset } from "@x402/evm";
import type { PaymentPayload, PaymentRequirements, VerifyResponse } from "@x402/core/types";

export const NETWORKS = ["eip155:8453", "eip155:84532"] as const;

/** Any-case address (checksummed or not) in its checksummed form, or null. */
function address(value: unknown): Hex | null {
  return typeof value === "string" && isAddress(value, { strict: false }) ? getAddress(value.toLowerCase()) : null;
}

type Authorization = { from: Hex; to: Hex; value: string; validAfter: string; validBefore: string; nonce: Hex };

function fail(invalidReason: string, invalidMessage: string, payer?: string): VerifyResponse {
  return { isValid: false, invalidReason, invalidMessage, ...(payer ? { payer } : {}) };
}

function authorizationOf(payload: PaymentPayload): { authorization: Authorization; signature: Hex } | null {
  const p = payload.payload as { authorization?: Partial<Authorization>; signature?: unknown } | undefined;
  const a = p?.authorization;
  if (!a || typeof p?.signature !== "string" || !isHex(p.signature)) return null;
  const digits = (v: unknown) => typeof v === "string" && /^\d{1,78}$/.test(v);
  if (!address(a.from) || !address(a.to) || !digits(a.value) || !digits(a.validAfter) || !digits(a.validBefore)) return null;
  if (typeof a.nonce !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(a.nonce)) return null;
  return { authorization: a as Authorization, signature: p.signature };
}

/** The key of an authorization on chain: USDC remembers (authorizer, nonce) per token contract. */
export function nonceKey(network: string, asset: string, from: string, nonce: string): string {
  return `${network}:${asset.toLowerCase()}:${from.toLowerCase()}:${nonce.toLowerCase()}`;
}

export async function verifyExactEvm(
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  usedNonces: ReadonlySet<string>,
  nowSeconds: number,
): Promise<VerifyResponse & { nonceKey?: string }> {
  if (payload?.x402Version !== 2) return fail("invalid_x402_version", "Only x402 version 2 payments are accepted.");
  if (requirements?.scheme !== "exact" || payload.accepted?.scheme !== "exact")
    return fail("unsupported_scheme", "Only the exact scheme is supported.");
  if (!NETWORKS.includes(requirements.network as (typeof NETWORKS)[number]))
    return fail("invalid_network", `Network ${requirements.network} is not supported.`);
  if (payload.accepted.network !== requirements.network)
    return fail(
      "invalid_exact_evm_network_mismatch",
      `The payment is for ${payload.accepted.network}, the requirements for ${requirements.network}.`,
    );
  const usdc = getDefaultAsset(requirements.network as `${string}:${string}`);
  if (address(requirements.asset) !== getAddress(usdc.asset)) {
    return fail("invalid_exact_evm_asset", `Only USDC (${usdc.asset}) is accepted on ${requirements.network}.`);
  }
  const parsed = authorizationOf(payload);
  if (!parsed) return fail("invalid_exact_evm_payload", "The payload is not an EIP-3009 authorization with a signature.");
  const { authorization: a, signature } = parsed;
  const payer = address(a.from)!;
  const to = address(a.to)!;
  if (to !== address(requirements.payTo)) {
    return fail("invalid_exact_evm_recipient_mismatch", "The authorization pays another address than the requirements' payTo.", payer);
  }
  if (!/^\d+$/.test(requirements.amount) || BigInt(a.value) !== BigInt(requirements.amount)) {
    return fail(
      "invalid_exact_evm_payload_authorization_value_mismatch",
      `The authorization is for ${a.value}, the price is ${requirements.amount}.`,
      payer,
    );
  }
  if (BigInt(a.validBefore) <= BigInt(nowSeconds)) {
    return fail("invalid_exact_evm_payload_authorization_valid_before", "The authorization has expired.", payer);
  }
  if (BigInt(a.validAfter) > BigInt(nowSeconds)) {
    return fail("invalid_exact_evm_payload_authorization_valid_after", "The authorization is not valid yet.", payer);
  }
  const key = nonceKey(requirements.network, usdc.asset, payer, a.nonce);
  if (usedNonces.has(key)) return fail("invalid_exact_evm_nonce_already_used", "This authorization was already used.", payer);
  let valid = false;
  try {
    valid = await verifyTypedData({
      address: payer,
      domain: {
        name: usdc.name,
        version: usdc.version,
        chainId: Number(requirements.network.split(":")[1]),
        verifyingContract: getAddress(usdc.asset),
      },
      types: authorizationTypes,
      primaryType: "TransferWithAuthorization",
      message: {
        from: payer,
        to,
        value: BigInt(a.value),
        validAfter: BigInt(a.validAfter),
        validBefore: BigInt(a.validBefore),
        nonce: a.nonce,
      },
      signature,
    });
  } catch {
    valid = false;
  }
  if (!valid) return fail("invalid_exact_evm_signature", "The signature is not the payer's signature of this authorization.", payer);
  return { isValid: true, payer, nonceKey: key };
}
