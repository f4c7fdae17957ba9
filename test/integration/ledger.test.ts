import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { debit } from "@/lib/credits/debit";
import { getBalance } from "@/lib/credits/balance";
import { rollOver, workspacePeriodSelect } from "@/lib/credits/period";
import { ledgerViolations, newAccount } from "./helpers";

describe("the billing panel's figures come from the ledger", () => {
  it("a 5-credit sonic analysis leaves 395 remaining, 5 used, in the Sonic category", async () => {
    const { workspaceId, userId } = await newAccount("panel");
    const result = await debit({ workspaceId, actionKey: "sonic.analysis", actor: { userId } });
    expect(result).toMatchObject({ ok: true, credits: 5, remaining: 395 });

    const balance = await getBalance(workspaceId);
    expect(balance.remaining).toBe(395);
    expect(balance.used).toBe(5);
    expect(balance.breakdown.find((b) => b.category === "SONIC")).toEqual({ category: "SONIC", credits: 5, events: 1 });
    expect(balance.breakdown.filter((b) => b.category !== "SONIC").every((b) => b.credits === 0)).toBe(true);
    // Spent from the plan allowance first (SUBSCRIPTION → BONUS → PURCHASED).
    expect(balance.allowanceRemaining).toBe(95);
    const event = await db.usageEvent.findUniqueOrThrow({ where: { id: result.ok ? result.eventId : "" }, include: { price: true } });
    expect(event.price).toMatchObject({ actionKey: "sonic.analysis", version: 1, credits: 5 });
    expect(await ledgerViolations(workspaceId)).toEqual([]);
  });

  it("records zero-cost actions and never denies them", async () => {
    const { workspaceId } = await newAccount("zero");
    const r = await debit({ workspaceId, actionKey: "background.refresh" });
    expect(r).toMatchObject({ ok: true, credits: 0, remaining: 400 });
    expect((await getBalance(workspaceId)).breakdown.find((b) => b.category === "OTHER")?.events).toBe(1);
  });

  it("charges an idempotency key once", async () => {
    const { workspaceId } = await newAccount("idem");
    const first = await debit({ workspaceId, actionKey: "aria.chat", idempotencyKey: "conv-1" });
    const again = await debit({ workspaceId, actionKey: "aria.chat", idempotencyKey: "conv-1" });
    expect(again).toMatchObject({ ok: true, replayed: true, eventId: first.ok ? first.eventId : "" });
    expect((await getBalance(workspaceId)).remaining).toBe(399);
    await expect(debit({ workspaceId, actionKey: "image.generate", idempotencyKey: "conv-1" })).rejects.toMatchObject({ code: "idempotency_conflict" });
  });

  it("under 100 concurrent debits never overdraws: exactly what the balance covers is charged", async () => {
    const { workspaceId } = await newAccount("race");
    const results = await Promise.all(Array.from({ length: 100 }, () => debit({ workspaceId, actionKey: "image.generate" })));
    expect(results.filter((r) => r.ok)).toHaveLength(80); // 400 credits / 5
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "insufficient_credits")).toBe(true);
    const balance = await getBalance(workspaceId);
    expect(balance.remaining).toBe(0);
    expect(balance.used).toBe(400);
    expect(await ledgerViolations(workspaceId)).toEqual([]);
  });
});

describe("period rollover", () => {
  it("at the 1st, expires unused allowance (no rollover) and grants the new period exactly once, however many race", async () => {
    const { workspaceId } = await newAccount("rollover");
    await debit({ workspaceId, actionKey: "campaign.plan" }); // 10 from the allowance
    const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: workspacePeriodSelect });
    const created = (await db.creditGrant.findFirstOrThrow({ where: { workspaceId, type: "SUBSCRIPTION" } })).expiresAt!;
    const nextPeriod = new Date(created.getTime() + 1000);

    await Promise.all(Array.from({ length: 10 }, () => db.$transaction((tx) => rollOver(tx, workspace, nextPeriod))));

    const subs = await db.creditGrant.findMany({ where: { workspaceId, type: "SUBSCRIPTION" }, orderBy: { createdAt: "asc" } });
    expect(subs.map((g) => [g.amount, g.remaining])).toEqual([
      [100, 0],
      [100, 100],
    ]);
    const expiries = await db.ledgerEntry.findMany({ where: { workspaceId, kind: "EXPIRY" } });
    expect(expiries.map((e) => e.amount)).toEqual([-90]);
    expect(await ledgerViolations(workspaceId)).toEqual([]);
  });
});
