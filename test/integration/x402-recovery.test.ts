import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { db } from "@/lib/db";
import { now } from "@/lib/clock";
import { PUT as upsertWorkspace } from "@/app/api/v1/workspaces/[external_id]/route";
import { POST as trackRoute } from "@/app/api/v1/track/route";
import { GET as balanceRoute } from "@/app/api/v1/balance/route";
import { walletWorkspace } from "@/lib/x402/credits";
import { markPaymentRefunded, recordSettledPayment, recoverSettledPayments } from "@/lib/x402/recovery";
import { x402Overview } from "@/lib/admin/x402";
import { createWorkspace } from "@/lib/workspaces/create";
import { isReservedExternalId } from "@/lib/workspaces/external-ids";
import { JOBS, startJobs } from "@/lib/jobs";
import { call, keyFor } from "./api-support";
import { expectInvariants, newAccount, workspaceWith } from "./helpers";
import { buyPack, newWallet, sign, unpaidPack, type Wallet } from "./x402-support";

// Issue 19, item 4: "An x402 wallet paid and got nothing."

const MINUTE = 60 * 1000;

/**
 * What payOnce leaves behind when recording fails after the money moved (as the platform key's
 * x402:<wallet> row made it fail): the authorization settled on chain through the facilitator, the row
 * SETTLING with its transaction and no grant.
 */
async function stuckPackPayment(wallet: Wallet, options: { packId?: string; ageMs?: number } = {}) {
  const packId = options.packId ?? "starter_1000";
  const required = await unpaidPack(packId);
  const accept = required.accepts[0]!;
  const { payload } = await sign(wallet, required);
  const settled = await new HTTPFacilitatorClient({ url: inject("x402FacilitatorUrl") }).settle(payload, accept);
  expect(settled.success).toBe(true);
  const { nonce } = (payload.payload as { authorization: { nonce: string } }).authorization;
  return db.x402Payment.create({
    data: {
      purpose: "CREDITS",
      network: accept.network,
      asset: accept.asset.toLowerCase(),
      payer: wallet.address,
      payTo: accept.payTo.toLowerCase(),
      nonce: nonce.toLowerCase(),
      amount: BigInt(accept.amount),
      credits: (accept.extra as { credits: number }).credits,
      packId,
      transaction: settled.transaction,
      createdAt: new Date(now().getTime() - (options.ageMs ?? 5 * MINUTE)),
    },
  });
}

async function packGrants(paymentId: string) {
  const grants = await db.creditGrant.findMany({ where: { source: `x402:${paymentId}` } });
  const entries = await db.ledgerEntry.count({ where: { grantId: { in: grants.map((g) => g.id) }, kind: "GRANT" } });
  return { grants, entries };
}

describe("a platform key and a wallet's external id (regression)", () => {
  it("a platform key's PUT of x402:<wallet> cannot make that wallet's purchases fail after they settled", async () => {
    const wallet = newWallet();
    const { key } = await keyFor(null, { kind: "PLATFORM" });
    await call(upsertWorkspace, { method: "PUT", key, params: { external_id: `x402:${wallet.address}` }, body: {} });

    const first = await buyPack(wallet);
    expect(first.status).toBeLessThan(500);
    const second = await buyPack(wallet);
    expect(second.status).toBeLessThan(500);

    const payments = await db.x402Payment.findMany({ where: { payer: wallet.address } });
    expect(payments.map((p) => p.status)).toEqual(["SETTLED", "SETTLED"]);
    const workspace = await db.workspace.findFirstOrThrow({ where: { externalId: `x402:${wallet.address}` } });
    expect(await db.creditGrant.count({ where: { workspaceId: workspace.id, type: "PURCHASED" } })).toBe(2);
    await expectInvariants(workspace.id);
    expect(walletWorkspace(wallet.address).externalId).toBe(`x402:${wallet.address}`);
  });
});

describe("the reserved x402: external-id space", () => {
  it("PUT /api/v1/workspaces/{external_id} refuses it with 422 reserved_external_id, however it is cased, padded or spelled", async () => {
    const { key } = await keyFor(null, { kind: "PLATFORM" });
    const address = newWallet().account.address; // checksummed: mixed case
    const spellings = [
      `x402:${address.toLowerCase()}`,
      `X402:${address}`,
      `x402:`,
      ` x402:${address}`,
      `x402 :${address}`,
      `\tx402:${address}\n`,
      `\u200bx402:${address}`, // a zero-width space in front
      `\uff58\uff14\uff10\uff12\uff1a${address}`, // fullwidth ｘ４０２：
    ];
    for (const externalId of spellings) {
      const res = await call(upsertWorkspace, { method: "PUT", key, params: { external_id: externalId }, body: { name: "Not a wallet" } });
      expect(res.status, JSON.stringify(externalId)).toBe(422);
      expect(res.json.error).toMatchObject({ code: "reserved_external_id", field: "external_id", retryable: false });
      expect(String(res.json.error!.actionable_next_step)).toContain("x402:");
    }
    expect(await db.workspace.count({ where: { externalId: { contains: address.slice(2), mode: "insensitive" } } })).toBe(0);
    // Only the space itself: ids that merely resemble it are the platform's own.
    for (const id of [`x402-${address}`, `customer:x402:${address}`, "x4020:1"]) expect(isReservedExternalId(id), id).toBe(false);
    const allowed = await call(upsertWorkspace, { method: "PUT", key, params: { external_id: `x402-${address}` }, body: {} });
    expect(allowed.status).toBe(201);
  });

  it("a platform key naming a missing x402: workspace is told that wallets make their own", async () => {
    const { key } = await keyFor(null, { kind: "PLATFORM" });
    const res = await call(trackRoute, { key, body: { action: "aria.chat", external_id: `x402:${newWallet().address}` } });
    expect(res.status).toBe(404);
    expect(String(res.json.error!.actionable_next_step)).toContain("first x402 payment");
  });
});

describe("a wallet's workspace is found by either id", () => {
  it("a row a platform key made before the reservation (any case) gets the wallet's purchases: no 500, no second workspace, no key", async () => {
    const wallet = newWallet();
    const { workspaceId } = await db.$transaction((tx) =>
      createWorkspace(tx, { name: "Made by a platform key", externalId: `X402:${wallet.account.address}`, at: now() }).then((w) => ({
        workspaceId: w.id,
      })),
    );
    const before = await call(balanceRoute, { key: (await keyFor(workspaceId)).key });

    const first = await buyPack(wallet);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      workspace_id: workspaceId,
      external_id: `X402:${wallet.account.address}`,
      workspace_created: false,
      credits_granted: 1000,
    });
    expect(first.json.api_key).toBeUndefined(); // the platform's customer's workspace: the wallet gets no key to it
    expect(first.json.remaining).toBe((before.json.remaining as number) + 1000);
    expect((await buyPack(wallet, "growth_5000")).status).toBe(200);

    expect(await db.workspace.count({ where: { id: walletWorkspace(wallet.address).id } })).toBe(0);
    const payments = await db.x402Payment.findMany({ where: { payer: wallet.address }, orderBy: { createdAt: "asc" } });
    expect(payments.map((p) => [p.status, p.workspaceId])).toEqual([
      ["SETTLED", workspaceId],
      ["SETTLED", workspaceId],
    ]);
    await expectInvariants(workspaceId);
  });

  it("the wallet's own workspace is found by its id as before", async () => {
    const wallet = newWallet();
    expect((await buyPack(wallet)).status).toBe(201);
    const again = await buyPack(wallet);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      workspace_id: walletWorkspace(wallet.address).id,
      external_id: `x402:${wallet.address}`,
      workspace_created: false,
    });
  });
});

/**
 * Makes recording fail for real, after settlement: a trigger on `table` that refuses rows of one
 * workspace (nothing else is touched, so other test files running meanwhile are unaffected).
 */
async function failingInserts<T>(table: "CreditGrant" | "UsageEvent", workspaceId: string, run: () => Promise<T>): Promise<T> {
  const name = `test_refuse_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  await db.$executeRawUnsafe(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."workspaceId" = '${workspaceId}' THEN RAISE EXCEPTION 'test: the database refused it'; END IF; RETURN NEW; END $$`,
  );
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  try {
    return await run();
  } finally {
    await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON "${table}"`);
    await db.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  }
}

describe("recording fails after the money moved", () => {
  it("a pack purchase answers 202 with the transaction, keeps the payment with its error, and the job credits it once", async () => {
    const wallet = newWallet();
    const id = walletWorkspace(wallet.address).id;
    const res = await failingInserts("CreditGrant", id, () => buyPack(wallet));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      status: "settled_not_recorded",
      external_id: `x402:${wallet.address}`,
      credits: 1000,
      payment: { payer: wallet.address },
    });
    expect(res.headers.get("PAYMENT-RESPONSE")).toBeTruthy();
    const row = await db.x402Payment.findFirstOrThrow({ where: { payer: wallet.address } });
    expect(row).toMatchObject({
      status: "SETTLING",
      transaction: (res.json.payment as { transaction: string }).transaction,
      recordAttempts: 1,
    });
    expect(row.recordError).toContain("the database refused it");
    expect(await db.workspace.count({ where: { id } })).toBe(0); // rolled back with the grant

    await recoverSettledPayments({ at: new Date(now().getTime() + 3 * MINUTE) });
    expect(await db.x402Payment.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "SETTLED",
      workspaceId: id,
      recordError: null,
    });
    expect((await packGrants(row.id)).grants).toEqual([expect.objectContaining({ workspaceId: id, amount: 1000 })]);
    await expectInvariants(id);
  });

  it("a paid call answers 500 naming the transaction and not to pay again; the job leaves it to an operator", async () => {
    const { workspaceId } = await workspaceWith(0, "x402-call-fails");
    const { key } = await keyFor(workspaceId);
    const wallet = newWallet();
    const denied = await call(trackRoute, { key, body: { action: "royalty.parse" } });
    expect(denied.status).toBe(402);
    const { header } = await sign(wallet, decodePaymentRequiredHeader(denied.headers.get("PAYMENT-REQUIRED")!));
    const res = await failingInserts("UsageEvent", workspaceId, () =>
      call(trackRoute, { key, body: { action: "royalty.parse" }, headers: { "PAYMENT-SIGNATURE": header } }),
    );
    expect(res.status).toBe(500);
    const row = await db.x402Payment.findFirstOrThrow({ where: { payer: wallet.address } });
    expect(res.json.error).toMatchObject({
      code: "payment_unrecorded",
      retryable: false,
      payment_id: row.id,
      transaction: row.transaction,
    });
    expect(String(res.json.error!.actionable_next_step)).toContain("Do not pay again");
    expect(row.status).toBe("SETTLING");
    await recoverSettledPayments({ at: new Date(now().getTime() + 3 * MINUTE) });
    expect((await db.x402Payment.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("SETTLING");
    expect((await x402Overview()).stuck.map((p) => p.id)).toContain(row.id);
  });
});

describe("a pack payment that settled but was not recorded", () => {
  it("is credited once by the recovery job, after the grace period; the wallet's next purchase returns its key", async () => {
    const wallet = newWallet();
    const young = await stuckPackPayment(wallet, { ageMs: 0 });
    expect((await x402Overview()).recent.find((p) => p.id === young.id)).toMatchObject({ status: "SETTLING" });
    // Within the grace period the purchase request may still be recording it: left alone.
    await recoverSettledPayments();
    expect((await db.x402Payment.findUniqueOrThrow({ where: { id: young.id } })).status).toBe("SETTLING");

    const stuck = await stuckPackPayment(wallet);
    await recoverSettledPayments();
    const row = await db.x402Payment.findUniqueOrThrow({ where: { id: stuck.id } });
    const wallets = walletWorkspace(wallet.address);
    expect(row).toMatchObject({ status: "SETTLED", workspaceId: wallets.id, recordError: null });
    const { grants, entries } = await packGrants(stuck.id);
    expect(grants).toEqual([expect.objectContaining({ id: row.grantId, workspaceId: wallets.id, type: "PURCHASED", amount: 1000 })]);
    expect(entries).toBe(1);
    // Made by the job: nobody has seen a key for it yet.
    expect(await db.apiClient.count({ where: { workspaceId: wallets.id } })).toBe(0);

    // Run again: nothing more.
    await recoverSettledPayments({ at: new Date(now().getTime() + 10 * MINUTE) });
    expect((await packGrants(stuck.id)).grants).toHaveLength(1);

    const next = await buyPack(wallet);
    expect(next.status).toBe(200);
    expect(next.json).toMatchObject({ workspace_id: wallets.id, workspace_created: false });
    expect(next.json.api_key).toMatch(/^cb_live_/);
    expect(await db.apiClient.count({ where: { workspaceId: wallets.id } })).toBe(1);
    expect((await buyPack(wallet)).json.api_key).toBeUndefined();
    // The young one is due too by now (the clock moved on): the job records it on a later run.
    await recoverSettledPayments({ at: new Date(now().getTime() + 10 * MINUTE) });
    expect((await db.x402Payment.findUniqueOrThrow({ where: { id: young.id } })).status).toBe("SETTLED");
    const balance = await call(balanceRoute, { key: next.json.api_key as string });
    expect(balance.json.remaining).toBe(4 * 1000 + 100); // four packs and the Free plan's allowance
    await expectInvariants(wallets.id);
  });

  it("is credited exactly once when job runs and retries race", async () => {
    const wallet = newWallet();
    const stuck = await stuckPackPayment(wallet);
    const outcomes = await Promise.all([
      recoverSettledPayments(),
      recordSettledPayment(stuck.id),
      recoverSettledPayments(),
      recordSettledPayment(stuck.id),
      recoverSettledPayments(),
      recordSettledPayment(stuck.id),
    ]);
    const direct = outcomes.filter((o): o is Awaited<ReturnType<typeof recordSettledPayment>> => "outcome" in o);
    const byJob = outcomes.filter((o): o is Awaited<ReturnType<typeof recoverSettledPayments>> => "recorded" in o);
    expect(byJob.every((o) => o.failed === 0)).toBe(true);
    // Exactly one of the six recorded it (the job runs may also record other files' payments: count ours by its grant).
    const { grants, entries } = await packGrants(stuck.id);
    expect(grants).toHaveLength(1);
    expect(entries).toBe(1);
    expect(direct.every((o) => o.grantId === grants[0]!.id)).toBe(true);
    const row = await db.x402Payment.findUniqueOrThrow({ where: { id: stuck.id } });
    expect(row).toMatchObject({ status: "SETTLED", grantId: grants[0]!.id });
    const id = walletWorkspace(wallet.address).id;
    expect(await db.workspace.count({ where: { id } })).toBe(1);
    expect(
      (await db.creditGrant.aggregate({ where: { workspaceId: id, type: "PURCHASED" }, _sum: { remaining: true } }))._sum.remaining,
    ).toBe(1000);
    await expectInvariants(id);
  });

  it("waits for its retry time after a failure, then is recorded", async () => {
    const wallet = newWallet();
    const stuck = await stuckPackPayment(wallet);
    const at = now();
    await db.x402Payment.update({
      where: { id: stuck.id },
      data: { recordAttempts: 3, recordError: "connection reset", retryAt: new Date(at.getTime() + 8 * MINUTE) },
    });
    await recoverSettledPayments({ at });
    expect((await db.x402Payment.findUniqueOrThrow({ where: { id: stuck.id } })).status).toBe("SETTLING");
    await recoverSettledPayments({ at: new Date(at.getTime() + 9 * MINUTE) });
    expect(await db.x402Payment.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({
      status: "SETTLED",
      recordError: null,
      retryAt: null,
    });
  });

  it("is recorded by the pg-boss sweep the worker runs", async () => {
    const wallet = newWallet();
    const stuck = await stuckPackPayment(wallet);
    const boss = await startJobs({ schedule: false });
    try {
      const id = await boss.send(JOBS.creditsSweep, {});
      await expect
        .poll(async () => (await boss.getJobById(JOBS.creditsSweep, id!, { includeArchive: true }))?.state, {
          timeout: 20_000,
          interval: 250,
        })
        .toBe("completed");
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    expect((await db.x402Payment.findUniqueOrThrow({ where: { id: stuck.id } })).status).toBe("SETTLED");
    expect((await packGrants(stuck.id)).grants).toHaveLength(1);
  });
});

describe("the operator's actions on a stuck payment", () => {
  it("record: credits it now, with a required reason, audited; a second record changes nothing", async () => {
    const operator = await newAccount("x402-operator");
    const wallet = newWallet();
    const stuck = await stuckPackPayment(wallet, { ageMs: 0 });
    const before = await x402Overview();

    await expect(recordSettledPayment(stuck.id, { operator: { id: operator.userId }, reason: "  " })).rejects.toMatchObject({
      code: "validation_failed",
    });
    const done = await recordSettledPayment(stuck.id, {
      operator: { id: operator.userId },
      reason: "Ticket #19: wallet paid, got nothing",
    });
    expect(done).toMatchObject({ outcome: "recorded", workspaceId: walletWorkspace(wallet.address).id, credits: 1000 });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "x402_payment.record", targetId: stuck.id } });
    expect(audit).toMatchObject({
      actorUserId: operator.userId,
      targetType: "x402_payment",
      reason: "Ticket #19: wallet paid, got nothing",
    });
    expect(audit.data).toMatchObject({ transaction: stuck.transaction, credits: 1000, grantId: done.grantId });
    expect((await x402Overview()).unrecorded).toBe(before.unrecorded - 1);

    expect(await recordSettledPayment(stuck.id, { operator: { id: operator.userId }, reason: "again" })).toMatchObject({
      outcome: "already_recorded",
      grantId: done.grantId,
    });
    expect((await packGrants(stuck.id)).grants).toHaveLength(1);
    await expect(markPaymentRefunded(stuck.id, { id: operator.userId }, "too late")).rejects.toMatchObject({ code: "conflict" });
  });

  it("record a paid call that was not recorded: its price becomes PURCHASED credits for the workspace it was for", async () => {
    const operator = await newAccount("x402-operator-call");
    const { workspaceId } = await workspaceWith(0, "x402-stuck-call");
    const wallet = newWallet();
    const stuck = await db.x402Payment.create({
      data: {
        purpose: "USAGE",
        network: "eip155:84532",
        asset: "0x036cbd53842c5426634e7929541ec2318f3dcf7e",
        payer: wallet.address,
        payTo: "0x00000000000000000000000000000000000b0b02",
        nonce: `0x${"07".repeat(32)}`,
        amount: 50_000n,
        credits: 5,
        workspaceId,
        actionKey: "royalty.parse",
        transaction: `0x${"c7".repeat(32)}`,
        createdAt: new Date(now().getTime() - 10 * MINUTE),
      },
    });
    // Not the job's to decide: a paid call stays for an operator.
    await recoverSettledPayments();
    expect((await db.x402Payment.findUniqueOrThrow({ where: { id: stuck.id } })).status).toBe("SETTLING");
    const done = await recordSettledPayment(stuck.id, { operator: { id: operator.userId }, reason: "Call failed; credit instead" });
    expect(done).toMatchObject({ outcome: "recorded", workspaceId, credits: 5 });
    const grant = await db.creditGrant.findUniqueOrThrow({ where: { id: done.grantId! } });
    expect(grant).toMatchObject({ workspaceId, type: "PURCHASED", amount: 5, source: `x402:${stuck.id}` });
    await expectInvariants(workspaceId);
  });

  it("mark refunded: needs a note, closes the payment for good (never credited afterwards), audited", async () => {
    const operator = await newAccount("x402-operator-refund");
    const wallet = newWallet();
    const stuck = await stuckPackPayment(wallet);
    const before = await x402Overview();

    await expect(markPaymentRefunded(stuck.id, { id: operator.userId }, "")).rejects.toMatchObject({ code: "validation_failed" });
    const note = "Returned 10 USDC to the payer by hand in 0xfeed…";
    await markPaymentRefunded(stuck.id, { id: operator.userId }, note);
    const row = await db.x402Payment.findUniqueOrThrow({ where: { id: stuck.id } });
    expect(row).toMatchObject({ status: "REFUNDED", note });
    expect(row.refundedAt).toBeInstanceOf(Date);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "x402_payment.refund", targetId: stuck.id } });
    expect(audit).toMatchObject({ actorUserId: operator.userId, reason: note });
    const after = await x402Overview();
    expect(after.unrecorded).toBe(before.unrecorded - 1);
    expect(after.revenueUsdc).toBe(before.revenueUsdc);

    await recoverSettledPayments({ at: new Date(now().getTime() + 10 * MINUTE) });
    await expect(recordSettledPayment(stuck.id, { operator: { id: operator.userId }, reason: "oops" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await packGrants(stuck.id)).grants).toHaveLength(0);
    expect(await db.workspace.count({ where: { id: walletWorkspace(wallet.address).id } })).toBe(0);
  });
});
