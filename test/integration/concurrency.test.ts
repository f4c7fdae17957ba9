import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { debit, getBalance, reserve } from "@/lib/credits";
import { expectInvariants, newAccount, newApiClient, workspaceWith } from "./helpers";

// Real parallel transactions over the test pool (8 connections, far below max_connections):
// every request below is in flight at once and contends for the same workspace.
afterEach(() => {
  testClock.reset();
});

describe("exact under concurrency", () => {
  it("(a) 200 concurrent 1-credit debits against 100 credits: exactly 100 succeed, balance 0", async () => {
    const { workspaceId } = await workspaceWith(100, "race-a");
    const results = await Promise.all(Array.from({ length: 200 }, () => debit({ workspaceId, actionKey: "aria.chat" })));
    expect(results.filter((r) => r.outcome === "charged")).toHaveLength(100);
    expect(results.filter((r) => r.outcome === "denied")).toHaveLength(100);
    const balance = await getBalance(workspaceId);
    expect(balance.remaining).toBe(0);
    expect(balance.used).toBe(100);
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(100);
    await expectInvariants(workspaceId);
  });

  it("(b) 50 concurrent debits with one idempotency key: charged once", async () => {
    const { workspaceId } = await newAccount("race-b");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => debit({ workspaceId, actionKey: "image.generate", idempotencyKey: "same-request" })),
    );
    const ids = new Set(results.map((r) => (r.outcome === "charged" ? r.eventId : "")));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.outcome === "charged" && !r.replayed)).toHaveLength(1);
    expect((await getBalance(workspaceId)).remaining).toBe(395);
    await expectInvariants(workspaceId);
  });

  it("(c) 20 concurrent first reads after a period boundary: exactly one expiry and one new grant", async () => {
    const { workspaceId } = await newAccount("race-c");
    await debit({ workspaceId, actionKey: "campaign.plan" }); // 10 of the 100 allowance
    const allowance = await db.creditGrant.findFirstOrThrow({ where: { workspaceId, type: "SUBSCRIPTION" } });
    testClock.set(new Date(allowance.expiresAt!.getTime() + 1000));

    const balances = await Promise.all(Array.from({ length: 20 }, () => getBalance(workspaceId)));
    expect(new Set(balances.map((b) => b.remaining))).toEqual(new Set([400])); // 100 new + 300 bonus

    const subscriptions = await db.creditGrant.findMany({
      where: { workspaceId, type: "SUBSCRIPTION" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(subscriptions.map((g) => [g.amount, g.remaining])).toEqual([
      [100, 0],
      [100, 100],
    ]);
    const expiries = await db.ledgerEntry.findMany({ where: { workspaceId, kind: "EXPIRY" } });
    expect(expiries.map((e) => e.amount)).toEqual([-90]);
    await expectInvariants(workspaceId);
  });

  it("(c') debits racing across the boundary also roll over exactly once", async () => {
    const { workspaceId } = await newAccount("race-c2");
    const allowance = await db.creditGrant.findFirstOrThrow({ where: { workspaceId, type: "SUBSCRIPTION" } });
    testClock.set(new Date(allowance.expiresAt!.getTime() + 1000));
    const results = await Promise.all(Array.from({ length: 20 }, () => debit({ workspaceId, actionKey: "aria.chat" })));
    expect(results.every((r) => r.outcome === "charged")).toBe(true);
    expect(await db.creditGrant.count({ where: { workspaceId, type: "SUBSCRIPTION" } })).toBe(2);
    expect(await db.ledgerEntry.count({ where: { workspaceId, kind: "EXPIRY" } })).toBe(1);
    await expectInvariants(workspaceId);
  });

  it("(d) concurrent reservations beyond the pending cap: exactly the cap succeeds", async () => {
    const { workspaceId } = await newAccount("race-d");
    const client = await newApiClient(workspaceId, 10);
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () =>
        reserve({ workspaceId, actionKey: "aria.chat", actor: { apiClientId: client.id }, pendingLimit: client.maxPending }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled" && r.value.outcome === "held")).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(15);
    expect(refused.every((r) => (r.reason as { code: string }).code === "too_many_pending")).toBe(true);
    expect((await getBalance(workspaceId)).held).toBe(10);
    await expectInvariants(workspaceId);
  });
});

describe("group commit", () => {
  it("answers every caller of a batched burst with its own result, across workspaces", async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, (_, i) => workspaceWith(10 + i, `burst-${i}`)));
    const calls = accounts.flatMap(({ workspaceId }, i) =>
      Array.from({ length: 12 }, (_, j) =>
        debit({ workspaceId, actionKey: "aria.chat", idempotencyKey: `burst-${i}-${j % 8}` }).then((r) => ({ i, r })),
      ),
    );
    calls.push(
      debit({ workspaceId: "no-such-workspace", actionKey: "aria.chat" })
        .then((r) => ({ i: -1, r }))
        .catch((err) => ({ i: -1, r: err })),
    );
    const results = await Promise.all(calls);
    expect((results.find((x) => x.i === -1)!.r as unknown as { code: string }).code).toBe("not_found");
    for (const [i, { workspaceId }] of accounts.entries()) {
      const mine = results.filter((x) => x.i === i).map((x) => x.r as Awaited<ReturnType<typeof debit>>);
      expect(mine.filter((r) => r.outcome === "charged" && !r.replayed)).toHaveLength(8); // 8 distinct keys
      expect(mine.filter((r) => r.outcome === "charged" && r.replayed)).toHaveLength(4);
      expect((await getBalance(workspaceId)).remaining).toBe(10 + i - 8);
      await expectInvariants(workspaceId);
    }
  });
});
