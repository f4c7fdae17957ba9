import { expect } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { x402Client } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequired } from "@x402/core/types";
import { POST as creditsRoute } from "@/app/api/x402/credits/route";
import { call } from "./api-support";

/**
 * Paying with x402 in integration tests: throwaway viem wallets signing with the official client
 * packages (@x402/fetch + @x402/evm), against the local facilitator emulator (global-setup.ts).
 */

export function newWallet() {
  const account = privateKeyToAccount(generatePrivateKey());
  // No spend cap: packs cost more than the client's default $1 ceiling.
  const client = x402Client.fromConfig({ schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }], spendControls: false });
  return { account, address: account.address.toLowerCase(), client };
}

export type Wallet = ReturnType<typeof newWallet>;

/** The PAYMENT-SIGNATURE header the wallet's client makes for these requirements. */
export async function sign(wallet: Wallet, required: PaymentRequired): Promise<{ header: string; payload: PaymentPayload }> {
  const payload = await wallet.client.createPaymentPayload(required);
  return { header: encodePaymentSignatureHeader(payload), payload };
}

/** The requirements of an unpaid pack purchase (402 + PAYMENT-REQUIRED). */
export async function unpaidPack(packId = "starter_1000"): Promise<PaymentRequired> {
  const res = await call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: packId } });
  expect(res.status).toBe(402);
  return decodePaymentRequiredHeader(res.headers.get("PAYMENT-REQUIRED")!);
}

/** POST /api/x402/credits paid by `wallet`. */
export async function buyPack(wallet: Wallet, packId = "starter_1000") {
  const { header } = await sign(wallet, await unpaidPack(packId));
  return call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: packId }, headers: { "PAYMENT-SIGNATURE": header } });
}
