import { createHash } from "node:crypto";
import { CLIENT_IP_HEADER } from "@/lib/client-address";
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, inject, vi } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import type { PaymentPayload, PaymentRequired } from "@x402/core/types";
import { db } from "@/lib/db";
import { getBalance } from "@/lib/credits";
import { POST as creditsRoute } from "@/app/api/x402/credits/route";
import { POST as trackRoute } from "@/app/api/v1/track/route";
import { GET as balanceRoute } from "@/app/api/v1/balance/route";
import { GET as statusRoute } from "@/app/api/x402/status/route";
import { POST as refundRoute } from "@/app/api/v1/events/[id]/refund/route";
import { walletWorkspace, X402_PURCHASES_PER_IP_HOUR } from "@/lib/x402/credits";
import { usdcFromAtomic, x402Overview } from "@/lib/admin/x402";
import { usageHistoryPage } from "@/lib/usage/history";
import { formatPaidFrom } from "@/lib/usage/labels";
import { call, keyFor } from "./api-support";
import { expectInvariants, workspaceWith } from "./helpers";

// Payments are made by the official client packages (@x402/fetch + @x402/evm) with throwaway viem
// accounts, against the local facilitator emulator (test/integration/global-setup.ts): real EIP-712
// signatures, real verification, no chain.

const SEPOLIA_USDC = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const PAY_TO = "0x00000000000000000000000000000000000b0b02";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A fetch that hands the request to a route handler, as Next.js would. */
function routeFetch(handler: unknown): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) =>
    (handler as Handler)(new Request(input, init), { params: Promise.resolve({}) })) as typeof fetch;
}

function newWallet() {
  const account = privateKeyToAccount(generatePrivateKey());
  // No spend cap: packs cost more than the client's default $1 ceiling.
  const client = x402Client.fromConfig({ schemes: [{ network: "eip155:*", client: new ExactEvmScheme(account) }], spendControls: false });
  return { account, address: account.address.toLowerCase(), client };
}

const creditsUrl = "http://localhost/api/x402/credits";
const trackUrl = "http://localhost/api/v1/track";
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

async function requirementsOf(res: Response): Promise<PaymentRequired> {
  const header = res.headers.get("PAYMENT-REQUIRED");
  expect(header).toBeTruthy();
  return decodePaymentRequiredHeader(header!);
}

/** The PAYMENT-SIGNATURE header the wallet's client makes for these requirements. */
async function sign(wallet: ReturnType<typeof newWallet>, required: PaymentRequired): Promise<{ header: string; payload: PaymentPayload }> {
  const payload = await wallet.client.createPaymentPayload(required);
  return { header: encodePaymentSignatureHeader(payload), payload };
}

async function unpaidPack(packId = "starter_1000"): Promise<PaymentRequired> {
  const res = await routeFetch(creditsRoute)(creditsUrl, json({ pack_id: packId }));
  expect(res.status).toBe(402);
  return requirementsOf(res);
}

async function recordedFor(address: string) {
  const wallet = walletWorkspace(address);
  return {
    payments: await db.x402Payment.count({ where: { payer: address } }),
    workspace: await db.workspace.count({ where: { id: wallet.id } }),
    grants: await db.creditGrant.count({ where: { workspaceId: wallet.id, type: "PURCHASED" } }),
  };
}

const nothing = { payments: 0, workspace: 0, grants: 0 };

// Actions of this file's own (other files edit the seeded price table while this one runs).
const tag = randomUUID().slice(0, 8);
const PAID_ACTION = `x402test.parse_${tag}`; // 5 credits, out of credits → 402
const CHEAP_ACTION = `x402test.chat_${tag}`; // 1 credit, out of credits → 402
const MCP_ACTION = `x402test.mcp_${tag}`; // 2 credits, out of credits → 429 (MCP tools' policy)

beforeAll(async () => {
  await db.actionPrice.createMany({
    data: [
      {
        actionKey: PAID_ACTION,
        version: 1,
        name: "x402 test parse",
        category: "OTHER",
        credits: 5,
        effectiveFrom: new Date(0),
        reason: "test",
      },
      {
        actionKey: CHEAP_ACTION,
        version: 1,
        name: "x402 test chat",
        category: "ARIA",
        credits: 1,
        effectiveFrom: new Date(0),
        reason: "test",
      },
      {
        actionKey: MCP_ACTION,
        version: 1,
        name: "x402 test MCP tool",
        category: "MCP",
        credits: 2,
        policy: "RATE_LIMIT",
        effectiveFrom: new Date(0),
        reason: "test",
      },
    ],
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /api/x402/credits", () => {
  it("answers an unpaid request with 402 and the x402 v2 requirements: the pack's price in USDC atomic units", async () => {
    const res = await routeFetch(creditsRoute)(creditsUrl, json({ pack_id: "starter_1000" }));
    expect(res.status).toBe(402);
    const body = (await res.json()) as { error: { code: string; credits: number } };
    expect(body.error).toMatchObject({ code: "payment_required", credits: 1000 });
    const required = await requirementsOf(res);
    expect(required.x402Version).toBe(2);
    expect(required.resource.url).toMatch(/\/api\/x402\/credits$/);
    expect(required.accepts).toHaveLength(1);
    const accept = required.accepts[0]!;
    // $10.00 = 1,000 credits × $0.01 = 10,000,000 units of a 6-decimal token.
    expect(accept).toMatchObject({ scheme: "exact", network: "eip155:84532", amount: "10000000", maxTimeoutSeconds: 300 });
    expect(accept.asset.toLowerCase()).toBe(SEPOLIA_USDC.toLowerCase());
    expect(accept.payTo.toLowerCase()).toBe(PAY_TO);
    expect(accept.extra).toMatchObject({ name: "USDC", version: "2", pricing_model: "ceiling-quote", credits: 1000 });
  });

  it("limits purchase requests per client IP and hour (429 with Retry-After)", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await db.rateLimitCounter.create({ data: { key: `x402:credits:ip:${ip}`, windowStart: hour, count: X402_PURCHASES_PER_IP_HOUR - 1 } });
    const send = () =>
      call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: "starter_1000" }, headers: { [CLIENT_IP_HEADER]: ip } });
    expect((await send()).status).toBe(402);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: "rate_limited", limit: X402_PURCHASES_PER_IP_HOUR });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("refuses an unknown pack with 400 before asking for money", async () => {
    const res = await call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: "nope_1" } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "invalid_pack", field: "pack_id" });
    expect(res.headers.get("PAYMENT-REQUIRED")).toBeNull();
  });

  it("a new wallet's first payment makes its workspace and key; the second adds PURCHASED credits to the same workspace", async () => {
    const wallet = newWallet();
    const pay = wrapFetchWithPayment(routeFetch(creditsRoute), wallet.client);

    const first = await pay(creditsUrl, json({ pack_id: "starter_1000" }));
    expect(first.status).toBe(201);
    const body = (await first.json()) as {
      workspace_id: string;
      external_id: string;
      api_key: string;
      credits_granted: number;
      remaining: number;
      payment: { transaction: string; payer: string };
    };
    const expected = walletWorkspace(wallet.address);
    expect(body).toMatchObject({
      workspace_id: expected.id,
      external_id: `x402:${wallet.address}`,
      credits_granted: 1000,
      remaining: 1100,
      payment: { payer: wallet.address },
    });
    // Deterministic: the id is derived from the lower-cased address.
    expect(expected.id).toBe(`x402_${createHash("sha256").update(wallet.address).digest("hex").slice(0, 24)}`);
    const settlement = decodePaymentResponseHeader(first.headers.get("PAYMENT-RESPONSE")!);
    expect(settlement).toMatchObject({ success: true, network: "eip155:84532", transaction: body.payment.transaction });
    expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/);

    const payment = await db.x402Payment.findFirstOrThrow({ where: { payer: wallet.address } });
    expect(payment).toMatchObject({
      status: "SETTLED",
      purpose: "CREDITS",
      packId: "starter_1000",
      amount: 10_000_000n,
      credits: 1000,
      workspaceId: expected.id,
      network: "eip155:84532",
      transaction: settlement.transaction,
    });
    const grant = await db.creditGrant.findUniqueOrThrow({ where: { id: payment.grantId! } });
    expect(grant).toMatchObject({ workspaceId: expected.id, type: "PURCHASED", amount: 1000, source: `x402:${payment.id}` });
    const entry = await db.ledgerEntry.findFirstOrThrow({ where: { grantId: grant.id, kind: "GRANT" } });
    expect(entry.reference).toBe(settlement.transaction);

    // The key works for its workspace and is stored only as a hash.
    expect(body.api_key).toMatch(/^cb_live_/);
    const keyRow = await db.apiClient.findFirstOrThrow({ where: { workspaceId: expected.id } });
    expect(keyRow.secretHash).toBe(createHash("sha256").update(body.api_key).digest("hex"));
    const balance = await call(balanceRoute, { key: body.api_key });
    expect(balance.status).toBe(200);
    expect(balance.json).toMatchObject({ workspace_id: expected.id, remaining: 1100 });

    const second = await pay(creditsUrl, json({ pack_id: "growth_5000" }));
    expect(second.status).toBe(200);
    const again = (await second.json()) as Record<string, unknown>;
    expect(again).toMatchObject({ workspace_id: expected.id, workspace_created: false, credits_granted: 5000, remaining: 6100 });
    expect(again.api_key).toBeUndefined();
    expect(await db.workspace.count({ where: { externalId: `x402:${wallet.address}` } })).toBe(1);
    expect(await db.apiClient.count({ where: { workspaceId: expected.id } })).toBe(1);
    expect(await recordedFor(wallet.address)).toEqual({ payments: 2, workspace: 1, grants: 2 });
    await expectInvariants(expected.id);
  });

  it("two first payments of one new wallet at once make one workspace and one key, and grant both packs", async () => {
    const wallet = newWallet();
    const required = await unpaidPack();
    const headers = [await sign(wallet, required), await sign(wallet, required)].map((p) => p.header);
    const results = await Promise.all(
      headers.map((h) =>
        call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: "starter_1000" }, headers: { "PAYMENT-SIGNATURE": h } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(results.filter((r) => typeof r.json.api_key === "string")).toHaveLength(1);
    const id = walletWorkspace(wallet.address).id;
    expect(await db.apiClient.count({ where: { workspaceId: id } })).toBe(1);
    expect(await recordedFor(wallet.address)).toEqual({ payments: 2, workspace: 1, grants: 2 });
    expect(Math.max(...results.map((r) => r.json.remaining as number))).toBe(2100);
    await expectInvariants(id);
  });

  it("refuses a payment for another amount or network, an expired authorization and a bad signature; nothing is recorded", async () => {
    const wallet = newWallet();
    const required = await unpaidPack();
    const send = (header: string) =>
      call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: "starter_1000" }, headers: { "PAYMENT-SIGNATURE": header } });

    // Signed for $0.01 instead of $10.
    const cheap = await sign(wallet, { ...required, accepts: [{ ...required.accepts[0]!, amount: "10000" }] });
    const wrongAmount = await send(cheap.header);
    expect(wrongAmount.status).toBe(402);
    expect(wrongAmount.json.error).toMatchObject({ code: "payment_invalid", reason: "requirements_mismatch" });
    expect(wrongAmount.headers.get("PAYMENT-REQUIRED")).toBeTruthy();

    // Signed on Base mainnet instead of Base Sepolia.
    const mainnet = await sign(wallet, { ...required, accepts: [{ ...required.accepts[0]!, network: "eip155:8453" }] });
    const wrongNetwork = await send(mainnet.header);
    expect(wrongNetwork.status).toBe(402);
    expect(wrongNetwork.json.error).toMatchObject({ code: "payment_invalid", reason: "requirements_mismatch" });

    // Signed an hour ago with the 300 s validity: expired now (the client reads the clock we move back).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 60 * 60 * 1000 });
    const old = await sign(wallet, required);
    vi.useRealTimers();
    const expired = await send(old.header);
    expect(expired.status).toBe(402);
    expect(expired.json.error).toMatchObject({ code: "payment_invalid", reason: "invalid_exact_evm_payload_authorization_valid_before" });

    // A signature that is not the payer's: one byte of s changed.
    const good = await sign(wallet, required);
    const signature = (good.payload.payload as { signature: string }).signature;
    const flipped = `${signature.slice(0, 80)}${signature[80] === "0" ? "1" : "0"}${signature.slice(81)}`;
    const forged = await send(encodePaymentSignatureHeader({ ...good.payload, payload: { ...good.payload.payload, signature: flipped } }));
    expect(forged.status).toBe(402);
    expect(forged.json.error).toMatchObject({ code: "payment_invalid", reason: "invalid_exact_evm_signature" });

    // An x402 v1 payment.
    const v1 = await send(encodePaymentSignatureHeader({ ...good.payload, x402Version: 1 }));
    expect(v1.status).toBe(402);
    expect(v1.json.error).toMatchObject({ code: "payment_invalid", reason: "unsupported_version" });

    // Not a payment at all.
    const garbage = await send("not-base64-json");
    expect(garbage.status).toBe(402);
    expect(garbage.json.error).toMatchObject({ code: "payment_invalid", reason: "invalid_payload" });

    expect(await recordedFor(wallet.address)).toEqual(nothing);
  });

  it("a replayed payment is refused with payment_replayed and settled once, even when the copies race", async () => {
    const wallet = newWallet();
    const required = await unpaidPack();
    const { header } = await sign(wallet, required);
    const send = () =>
      call(creditsRoute, { path: "/api/x402/credits", body: { pack_id: "starter_1000" }, headers: { "PAYMENT-SIGNATURE": header } });

    const results = await Promise.all(Array.from({ length: 6 }, send));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.json.error).toMatchObject({ code: "payment_replayed" });

    const later = await send();
    expect(later.status).toBe(409);
    expect(later.json.error).toMatchObject({ code: "payment_replayed", retryable: false });
    expect(await recordedFor(wallet.address)).toEqual({ payments: 1, workspace: 1, grants: 1 });
    await expectInvariants(walletWorkspace(wallet.address).id);
  });
});

describe("pay per call on POST /api/v1/track", () => {
  it("out of credits: the 402 offers x402 beside a pack and an upgrade, with PAYMENT-REQUIRED for the action's price", async () => {
    const { workspaceId } = await workspaceWith(0, "x402-offer");
    const { key } = await keyFor(workspaceId);
    const res = await call(trackRoute, { key, body: { action: PAID_ACTION } });
    expect(res.status).toBe(402);
    expect(res.json.error).toMatchObject({
      code: "insufficient_credits",
      required: 5,
      remaining: 0,
      x402: { price_usdc: "0.05", amount: "50000", network: "eip155:84532", header: "PAYMENT-SIGNATURE" },
    });
    expect(res.json.error!.buy_pack_url).toBeTruthy();
    expect(res.json.error!.upgrade_url).toBeTruthy();
    expect(String(res.json.error!.actionable_next_step)).toContain("x402");
    const required = decodePaymentRequiredHeader(res.headers.get("PAYMENT-REQUIRED")!);
    expect(required.accepts[0]).toMatchObject({ scheme: "exact", network: "eip155:84532", amount: "50000" });
    expect(required.resource.url).toMatch(/\/api\/v1\/track$/);
  });

  it("with the agent's PAYMENT-SIGNATURE, the one action is settled in USDC and recorded as paid by x402, no credits drawn", async () => {
    const { workspaceId } = await workspaceWith(0, "x402-call");
    const { key } = await keyFor(workspaceId);
    const wallet = newWallet();
    const pay = wrapFetchWithPayment(routeFetch(trackRoute), wallet.client);

    const res = await pay(trackUrl, json({ action: PAID_ACTION, idempotency_key: "doc-1" }, { authorization: `Bearer ${key}` }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      event_id: string;
      paid_by: string;
      credits_charged: number;
      remaining: number;
      payment: { transaction: string; payer: string; amount: string };
    };
    expect(body).toMatchObject({ paid_by: "x402", credits_charged: 0, remaining: 0, payment: { payer: wallet.address, amount: "50000" } });
    const settlement = decodePaymentResponseHeader(res.headers.get("PAYMENT-RESPONSE")!);
    expect(settlement).toMatchObject({ success: true, transaction: body.payment.transaction });

    const event = await db.usageEvent.findUniqueOrThrow({ where: { id: body.event_id } });
    expect(event).toMatchObject({
      workspaceId,
      actionKey: PAID_ACTION,
      credits: 5,
      unmetered: true,
      status: "COMPLETED",
      idempotencyKey: "doc-1",
    });
    const payment = await db.x402Payment.findFirstOrThrow({ where: { payer: wallet.address } });
    expect(payment).toMatchObject({
      status: "SETTLED",
      purpose: "USAGE",
      usageEventId: event.id,
      workspaceId,
      actionKey: PAID_ACTION,
      amount: 50_000n,
      credits: 5,
      transaction: settlement.transaction,
    });
    const entries = await db.ledgerEntry.findMany({ where: { usageEventId: event.id } });
    expect(entries).toEqual([expect.objectContaining({ kind: "UNMETERED", amount: 0, grantId: null, reference: settlement.transaction })]);
    await expectInvariants(workspaceId);
    // Billing shows it apart: used, but not of the allowance nor bonus or purchased.
    expect(await getBalance(workspaceId)).toMatchObject({ used: 5, unmetered: 5, allowanceUsed: 0, beyondPlan: 0, allowancePercent: 0 });
    // Usage history says what paid for it.
    const history = await usageHistoryPage(workspaceId, { filters: {} });
    expect(history.rows[0]).toMatchObject({ id: event.id, credits: 5, paidFrom: { kind: "x402", transaction: settlement.transaction } });
    expect(formatPaidFrom(history.rows[0]!.paidFrom)).toBe("x402");

    // No credits were drawn, so none can be refunded: a clear 409, the event stays completed.
    const refund = await call(refundRoute, { key, params: { id: event.id }, body: {} });
    expect(refund.status).toBe(409);
    expect(refund.json.error).toMatchObject({ code: "conflict", transaction: settlement.transaction });
    expect((await db.usageEvent.findUniqueOrThrow({ where: { id: event.id } })).status).toBe("COMPLETED");

    // The idempotency key is bound: the same request again is the first result, not a second payment.
    const repeat = await call(trackRoute, { key, body: { action: PAID_ACTION, idempotency_key: "doc-1" } });
    expect(repeat.status).toBe(200);
    expect(repeat.json).toMatchObject({ event_id: event.id, replayed: true });
  });

  it("a track payment for another price is refused, and a replay of a used one is refused; nothing more is recorded", async () => {
    const { workspaceId } = await workspaceWith(0, "x402-replay");
    const { key } = await keyFor(workspaceId);
    const wallet = newWallet();
    const denied = await call(trackRoute, { key, body: { action: PAID_ACTION } });
    const required = decodePaymentRequiredHeader(denied.headers.get("PAYMENT-REQUIRED")!);

    const underpaid = await sign(wallet, { ...required, accepts: [{ ...required.accepts[0]!, amount: "10000" }] });
    const refused = await call(trackRoute, { key, body: { action: PAID_ACTION }, headers: { "PAYMENT-SIGNATURE": underpaid.header } });
    expect(refused.status).toBe(402);
    expect(refused.json.error).toMatchObject({ code: "payment_invalid", reason: "requirements_mismatch" });
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(0);

    const { header } = await sign(wallet, required);
    const first = await call(trackRoute, { key, body: { action: PAID_ACTION }, headers: { "PAYMENT-SIGNATURE": header } });
    expect(first.status).toBe(201);
    const replay = await call(trackRoute, { key, body: { action: PAID_ACTION }, headers: { "PAYMENT-SIGNATURE": header } });
    expect(replay.status).toBe(409);
    expect(replay.json.error).toMatchObject({ code: "payment_replayed" });
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(1);
    expect(await db.x402Payment.count({ where: { payer: wallet.address } })).toBe(1);
    await expectInvariants(workspaceId);
  });

  it("copies of one payment racing on track: one action is recorded, the others are refused before settling", async () => {
    const { workspaceId } = await workspaceWith(0, "x402-race");
    const { key } = await keyFor(workspaceId);
    const wallet = newWallet();
    const denied = await call(trackRoute, { key, body: { action: CHEAP_ACTION } });
    const { header } = await sign(wallet, decodePaymentRequiredHeader(denied.headers.get("PAYMENT-REQUIRED")!));
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call(trackRoute, { key, body: { action: CHEAP_ACTION, idempotency_key: `race-${i}` }, headers: { "PAYMENT-SIGNATURE": header } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(1);
    expect(await db.x402Payment.count({ where: { payer: wallet.address } })).toBe(1);
    await expectInvariants(workspaceId);
  });

  it("with credits left, the action is debited from credits and a forwarded payment is not used", async () => {
    const { workspaceId } = await workspaceWith(10, "x402-credits-first");
    const { key } = await keyFor(workspaceId);
    const wallet = newWallet();
    const denied = await call(trackRoute, {
      key: (await keyFor((await workspaceWith(0, "x402-q")).workspaceId)).key,
      body: { action: PAID_ACTION },
    });
    const { header } = await sign(wallet, decodePaymentRequiredHeader(denied.headers.get("PAYMENT-REQUIRED")!));
    const res = await call(trackRoute, { key, body: { action: PAID_ACTION }, headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ credits_charged: 5, remaining: 5 });
    expect(res.headers.get("PAYMENT-RESPONSE")).toBeNull();
    expect(await db.x402Payment.count({ where: { payer: wallet.address } })).toBe(0);
  });
});

describe("the facilitator emulator", () => {
  const facilitator = () => new HTTPFacilitatorClient({ url: inject("x402FacilitatorUrl") });

  it("verifies the EIP-712 signature against the requirements: amount, network and recipient must match", async () => {
    const wallet = newWallet();
    const required = await unpaidPack();
    const accept = required.accepts[0]!;
    const { payload } = await sign(wallet, required);
    expect(await facilitator().verify(payload, accept)).toMatchObject({ isValid: true, payer: privateKeyToAccountAddress(wallet) });
    expect(await facilitator().verify(payload, { ...accept, amount: "20000000" })).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_payload_authorization_value_mismatch",
    });
    expect(await facilitator().verify(payload, { ...accept, network: "eip155:8453" })).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_network_mismatch",
    });
    expect(await facilitator().verify(payload, { ...accept, payTo: "0x00000000000000000000000000000000000bad00" })).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_recipient_mismatch",
    });
  });

  it("settles once: the nonce is remembered", async () => {
    const wallet = newWallet();
    const required = await unpaidPack();
    const { payload } = await sign(wallet, required);
    const settled = await facilitator().settle(payload, required.accepts[0]!);
    expect(settled).toMatchObject({ success: true, network: "eip155:84532", amount: "10000000" });
    await expect(facilitator().settle(payload, required.accepts[0]!)).resolves.toMatchObject({
      success: false,
      errorReason: "invalid_exact_evm_nonce_already_used",
    });
    expect(await facilitator().verify(payload, required.accepts[0]!)).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_nonce_already_used",
    });
  });
});

describe("the operator console's x402 figures", () => {
  it("counts revenue and calls per tool from settled payments", async () => {
    const before = await x402Overview();
    const { workspaceId } = await workspaceWith(0, "x402-admin");
    const { key } = await keyFor(workspaceId);
    const wallet = newWallet();
    const pay = wrapFetchWithPayment(routeFetch(trackRoute), wallet.client);
    for (const action of [CHEAP_ACTION, CHEAP_ACTION]) {
      expect((await pay(trackUrl, json({ action }, { authorization: `Bearer ${key}` }))).status).toBe(201);
    }
    // MCP tools answer 429 credits_exhausted when out of credits (docs/design.md), which also carries the x402
    // offer: an agent that pays it gets the call.
    const exhausted = await call(trackRoute, { key, body: { action: MCP_ACTION } });
    expect(exhausted.status).toBe(429);
    expect(exhausted.json.error).toMatchObject({ code: "credits_exhausted", x402: { amount: "20000" } });
    const { header } = await sign(wallet, decodePaymentRequiredHeader(exhausted.headers.get("PAYMENT-REQUIRED")!));
    expect((await call(trackRoute, { key, body: { action: MCP_ACTION }, headers: { "PAYMENT-SIGNATURE": header } })).status).toBe(201);
    expect((await pay(trackUrl, json({ action: PAID_ACTION }, { authorization: `Bearer ${key}` }))).status).toBe(201);

    const after = await x402Overview();
    const calls = (o: typeof before, tool: string) => o.tools.find((t) => t.actionKey === tool)?.calls ?? 0;
    expect(after.calls - before.calls).toBe(4);
    expect(calls(after, CHEAP_ACTION) - calls(before, CHEAP_ACTION)).toBe(2);
    expect(calls(after, MCP_ACTION) - calls(before, MCP_ACTION)).toBe(1);
    expect(calls(after, PAID_ACTION) - calls(before, PAID_ACTION)).toBe(1);
    // 2 × 1 credit + 2 credits + 5 credits = $0.09.
    expect(Math.round((Number(after.revenueUsdc) - Number(before.revenueUsdc)) * 100)).toBe(9);
    await expectInvariants(workspaceId);
    expect(after.recent[0]).toMatchObject({ purpose: "USAGE", workspaceId, amountUsdc: "0.05" });
    expect(usdcFromAtomic(10_000_000n)).toBe("10.00");
    expect(usdcFromAtomic("123456")).toBe("0.123456");
  });
});

describe("a payment that settled but was not recorded", () => {
  it("is counted and listed for the operator", async () => {
    const before = await x402Overview();
    const payer = newWallet().address;
    const transaction = `0x${"ab".repeat(32)}`;
    await db.x402Payment.create({
      data: {
        purpose: "USAGE",
        network: "eip155:84532",
        asset: SEPOLIA_USDC.toLowerCase(),
        payer,
        payTo: PAY_TO,
        nonce: `0x${"01".repeat(32)}`,
        amount: 10_000n,
        credits: 1,
        actionKey: CHEAP_ACTION,
        transaction,
      },
    });
    const after = await x402Overview();
    expect(after.unrecorded).toBe(before.unrecorded + 1);
    expect(after.recent[0]).toMatchObject({ status: "SETTLING", payer, transaction });
    // Not revenue until recorded.
    expect(after.revenueUsdc).toBe(before.revenueUsdc);
  });
});

describe("GET /api/x402/status", () => {
  it("says pay-per-call is on, where to pay and on which network", async () => {
    const res = await call(statusRoute);
    expect(res.json).toMatchObject({ enabled: true, network: "eip155:84532", token: "USDC", pricing_model: "ceiling-quote" });
    expect(res.json.endpoint).toMatch(/\/api\/v1\/track$/);
  });
});

function privateKeyToAccountAddress(wallet: ReturnType<typeof newWallet>): string {
  return wallet.account.address;
}
