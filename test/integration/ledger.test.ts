import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { addCredits, adjust, changePlan, check, debit, getBalance, refund, reserve } from "@/lib/credits";
import { bonusSource } from "@/lib/accounts/verification";
import { expectInvariants, newAccount, workspaceWith } from "./helpers";

afterEach(() => {
  testClock.reset();
});

async function grantsOf(workspaceId: string) {
  return db.creditGrant.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

describe("debit", () => {
  it("charges the price of the current version, records it, and the panel shows it: 395 left, 5 used, Sonic", async () => {
    const { workspaceId, userId } = await newAccount("panel");
    const result = await debit({ workspaceId, actionKey: "sonic.analysis", actor: { userId } });
    expect(result).toMatchObject({ outcome: "charged", replayed: false, credits: 5, remaining: 395 });

    const balance = await getBalance(workspaceId);
    expect(balance).toMatchObject({ remaining: 395, used: 5, allowanceRemaining: 95, held: 0 });
    expect(balance.remainingByType).toEqual({ SUBSCRIPTION: 95, BONUS: 300, PURCHASED: 0 });
    expect(balance.breakdown.find((b) => b.category === "SONIC")).toEqual({ category: "SONIC", credits: 5, events: 1 });
    const event = await db.usageEvent.findUniqueOrThrow({
      where: { id: result.outcome === "charged" ? result.eventId : "" },
      include: { price: true },
    });
    expect(event.price).toMatchObject({ actionKey: "sonic.analysis", version: 1 });
    await expectInvariants(workspaceId);
  });

  it("spends SUBSCRIPTION, then BONUS (soonest expiry first), then PURCHASED, across grants in one debit", async () => {
    const { workspaceId, email } = await newAccount("order");
    const soon = new Date(Date.now() + 3 * 86_400_000);
    await addCredits({ workspaceId, type: "PURCHASED", credits: 50, expiresAt: null, source: "test:pack" });
    await addCredits({ workspaceId, type: "BONUS", credits: 20, expiresAt: soon, source: "test:promo" });
    // 100 allowance + 20 soon-expiring bonus + 300 sign-up bonus + 10 of the pack
    const r = await debit({ workspaceId, actionKey: "campaign.plan", quantity: 43 });
    expect(r).toMatchObject({ outcome: "charged", credits: 430, remaining: 40 });
    const byType = Object.fromEntries((await grantsOf(workspaceId)).map((g) => [g.source, g.remaining]));
    expect(byType["test:promo"]).toBe(0);
    expect(byType[bonusSource(email)]).toBe(0); // the sign-up bonus, granted when the address was verified
    expect(byType["test:pack"]).toBe(40);
    await expectInvariants(workspaceId);
  });

  it("is all or nothing, and a denial binds no idempotency key (the same key succeeds after a refill)", async () => {
    const { workspaceId, userId } = await workspaceWith(3, "allornothing");
    const denied = await debit({ workspaceId, actionKey: "image.generate", idempotencyKey: "img-1" });
    expect(denied).toMatchObject({ outcome: "denied", policy: "REJECT", credits: 5, remaining: 3, retryAfterSeconds: null });
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(0);
    await adjust({ workspaceId, credits: 10, reason: "goodwill", actorUserId: userId });
    expect(await debit({ workspaceId, actionKey: "image.generate", idempotencyKey: "img-1" })).toMatchObject({
      outcome: "charged",
      remaining: 8,
    });
    await expectInvariants(workspaceId);
  });

  it("answers MCP tools out of credits with the seconds until the reset", async () => {
    const { workspaceId } = await workspaceWith(0, "mcp");
    testClock.set(new Date("2026-11-30T23:00:00Z"));
    const r = await debit({ workspaceId, actionKey: "mcp.add_artist" });
    expect(r).toMatchObject({ outcome: "denied", policy: "RATE_LIMIT", retryAfterSeconds: 3600 });
  });

  it("records zero-cost actions and never denies them", async () => {
    const { workspaceId } = await workspaceWith(0, "zero");
    expect(await debit({ workspaceId, actionKey: "background.refresh" })).toMatchObject({ outcome: "charged", credits: 0, remaining: 0 });
    expect((await getBalance(workspaceId)).breakdown.find((b) => b.category === "OTHER")?.events).toBe(1);
    await expectInvariants(workspaceId);
  });

  it("charges an idempotency key once and refuses it for a different action or quantity", async () => {
    const { workspaceId } = await newAccount("idem");
    const first = await debit({ workspaceId, actionKey: "aria.chat", idempotencyKey: "conv-1" });
    const again = await debit({ workspaceId, actionKey: "aria.chat", idempotencyKey: "conv-1" });
    expect(again).toMatchObject({ outcome: "charged", replayed: true, eventId: first.outcome === "charged" ? first.eventId : "" });
    expect((await getBalance(workspaceId)).remaining).toBe(399);
    await expect(debit({ workspaceId, actionKey: "image.generate", idempotencyKey: "conv-1" })).rejects.toMatchObject({
      code: "idempotency_conflict",
    });
    await expect(debit({ workspaceId, actionKey: "aria.chat", quantity: 2, idempotencyKey: "conv-1" })).rejects.toMatchObject({
      code: "idempotency_conflict",
    });
  });

  it("never denies an enterprise workspace: recorded with its cost as unmetered", async () => {
    const { workspaceId } = await workspaceWith(0, "enterprise");
    await changePlan({ workspaceId, planId: "enterprise" });
    const r = await debit({ workspaceId, actionKey: "video.generate", quantity: 10 });
    expect(r).toMatchObject({ outcome: "charged", credits: 200 });
    const balance = await getBalance(workspaceId);
    expect(balance.unlimited).toBe(true);
    expect(balance.breakdown.find((b) => b.category === "VIDEO")).toMatchObject({ credits: 200, events: 1 });
    expect(await db.ledgerEntry.count({ where: { workspaceId, kind: "UNMETERED" } })).toBe(1);
    await expectInvariants(workspaceId);
  });

  it.each([
    [{ quantity: -1 }, "invalid_request"],
    [{ quantity: 1.5 }, "invalid_request"],
    [{ quantity: 0 }, "invalid_request"],
    [{ quantity: 2 ** 31 }, "invalid_request"],
    [{ quantity: Number.NaN }, "invalid_request"],
    [{ actionKey: "no.such.action" }, "validation_failed"],
    [{ actionKey: "" }, "invalid_request"],
  ])("refuses bad input %j with %s and writes nothing", async (patch, code) => {
    const { workspaceId } = await newAccount("bad");
    const before = await db.ledgerEntry.count({ where: { workspaceId } });
    await expect(debit({ workspaceId, actionKey: "aria.chat", ...patch })).rejects.toMatchObject({ code });
    expect(await db.ledgerEntry.count({ where: { workspaceId } })).toBe(before);
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(0);
  });

  it("refuses amounts over 2^31 - 1 credits", async () => {
    const { workspaceId, userId } = await newAccount("huge");
    await expect(adjust({ workspaceId, credits: 2 ** 31, reason: "too much", actorUserId: userId })).rejects.toMatchObject({
      code: "invalid_request",
    });
    await expect(reserve({ workspaceId, actionKey: "video.generate", estimate: 2 ** 31 })).rejects.toMatchObject({
      code: "invalid_request",
    });
    // 1,000,000 video generations cost 20,000,000 credits: valid, and denied for balance.
    expect(await debit({ workspaceId, actionKey: "video.generate", quantity: 1_000_000 })).toMatchObject({
      outcome: "denied",
      credits: 20_000_000,
    });
  });
});

describe("check (dry run)", () => {
  it("says allowed, cost and remaining after, and writes nothing", async () => {
    const { workspaceId } = await workspaceWith(12, "check");
    const entries = await db.ledgerEntry.count({ where: { workspaceId } });
    expect(await check({ workspaceId, actionKey: "image.generate", quantity: 2 })).toMatchObject({
      allowed: true,
      outcome: "charge",
      cost: 10,
      remaining: 12,
      remainingAfter: 2,
    });
    expect(await check({ workspaceId, actionKey: "video.generate" })).toMatchObject({
      allowed: false,
      outcome: "deny",
      cost: 20,
      remainingAfter: 12,
    });
    expect(await check({ workspaceId, actionKey: "sonic.analysis", quantity: 3 })).toMatchObject({ allowed: false, outcome: "queue" });
    expect(await db.ledgerEntry.count({ where: { workspaceId } })).toBe(entries);
    expect(await db.usageEvent.count({ where: { workspaceId } })).toBe(0);
  });

  it("counts the allowance a due rollover would grant, without granting it", async () => {
    const { workspaceId } = await workspaceWith(0, "check-reset");
    const grants = await db.creditGrant.count({ where: { workspaceId } });
    testClock.set(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1, 0, 0, 1)));
    expect(await check({ workspaceId, actionKey: "image.generate" })).toMatchObject({ allowed: true, remaining: 100 });
    expect(await db.creditGrant.count({ where: { workspaceId } })).toBe(grants);
  });
});

describe("refund", () => {
  it("returns credits to the grants they came from; refunding twice is a no-op", async () => {
    const { workspaceId } = await newAccount("refund");
    const r = await debit({ workspaceId, actionKey: "video.generate", quantity: 6 }); // 100 allowance + 20 bonus
    if (r.outcome !== "charged") throw new Error("expected a charge");
    const first = await refund({ workspaceId, eventId: r.eventId });
    expect(first).toMatchObject({ replayed: false, credits: 120, toOriginalGrants: 120, toBonusGrant: 0 });
    expect(await refund({ workspaceId, eventId: r.eventId })).toMatchObject({ replayed: true, credits: 120 });
    const balance = await getBalance(workspaceId);
    expect(balance).toMatchObject({ remaining: 400, used: 0 });
    expect(balance.remainingByType).toEqual({ SUBSCRIPTION: 100, BONUS: 300, PURCHASED: 0 });
    await expectInvariants(workspaceId);
  });

  it("puts credits whose grant has expired into a BONUS grant expiring at the current period's end", async () => {
    const { workspaceId } = await newAccount("refund-expired");
    const r = await debit({ workspaceId, actionKey: "image.generate" }); // from this month's allowance
    if (r.outcome !== "charged") throw new Error("expected a charge");
    const next = new Date(r.resetAt.getTime() + 60_000);
    testClock.set(next);
    const result = await refund({ workspaceId, eventId: r.eventId });
    expect(result).toMatchObject({ credits: 5, toOriginalGrants: 0, toBonusGrant: 5 });
    const bonus = await db.creditGrant.findFirstOrThrow({ where: { workspaceId, source: `refund:${r.eventId}` } });
    expect(bonus).toMatchObject({ type: "BONUS", amount: 5, remaining: 5 });
    expect(bonus.expiresAt!.getTime()).toBe(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1));
    await expectInvariants(workspaceId);
  });

  it("refuses events that were not completed", async () => {
    const { workspaceId } = await workspaceWith(0, "refund-queued");
    const q = await debit({ workspaceId, actionKey: "sonic.analysis" });
    expect(q.outcome).toBe("queued");
    await expect(refund({ workspaceId, eventId: q.outcome === "queued" ? q.eventId : "" })).rejects.toMatchObject({ code: "conflict" });
    await expect(refund({ workspaceId, eventId: "nope" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("adjust", () => {
  it("requires a reason and records the operator in the audit log", async () => {
    const { workspaceId, userId } = await newAccount("adjust");
    await expect(adjust({ workspaceId, credits: 10, reason: "  ", actorUserId: userId })).rejects.toMatchObject({
      code: "invalid_request",
    });
    await expect(adjust({ workspaceId, credits: 0, reason: "x", actorUserId: userId })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(adjust({ workspaceId, credits: -401, reason: "too much", actorUserId: userId })).rejects.toMatchObject({
      code: "insufficient_credits",
    });
    expect(await adjust({ workspaceId, credits: -50, reason: "chargeback", actorUserId: userId })).toMatchObject({ remaining: 350 });
    const audit = await db.auditLog.findMany({ where: { targetId: workspaceId, action: "credits.adjust" } });
    expect(audit.map((a) => [a.reason, (a.data as { credits: number }).credits])).toEqual([["chargeback", -50]]);
    await expectInvariants(workspaceId);
  });
});

describe("plan changes", () => {
  it("upgrades at once, topping the period's allowance up by the difference (Starter → Pro: +4,000)", async () => {
    const { workspaceId } = await newAccount("upgrade");
    await changePlan({ workspaceId, planId: "starter" });
    await debit({ workspaceId, actionKey: "campaign.plan", quantity: 10 });
    const change = await changePlan({ workspaceId, planId: "pro" });
    expect(change).toMatchObject({ effective: "now", toppedUp: 4000 });
    const balance = await getBalance(workspaceId);
    expect(balance.plan.id).toBe("pro");
    expect(balance.allowanceRemaining).toBe(5000 - 100);
    await expectInvariants(workspaceId);
  });

  it("downgrades at the next period start and grants the new allowance then", async () => {
    const { workspaceId } = await newAccount("downgrade");
    await changePlan({ workspaceId, planId: "pro" });
    const change = await changePlan({ workspaceId, planId: "starter" });
    expect(change.effective).toBe("period_end");
    expect((await getBalance(workspaceId)).pendingPlan).toEqual({ id: "starter", at: change.effectiveAt.toISOString() });
    testClock.set(new Date(change.effectiveAt.getTime() + 1000));
    const balance = await getBalance(workspaceId);
    expect(balance.plan.id).toBe("starter");
    expect(balance.allowanceRemaining).toBe(1000);
    expect(balance.pendingPlan).toBeNull();
    await expectInvariants(workspaceId);
  });
});

describe("queue policy", () => {
  it("queues sonic analyses out of credits and charges them first-in first-out when credits arrive", async () => {
    const { workspaceId, userId } = await workspaceWith(2, "queue");
    const a = await debit({ workspaceId, actionKey: "sonic.analysis", subject: "track-a" });
    const b = await debit({ workspaceId, actionKey: "sonic.analysis", subject: "track-b" });
    expect([a.outcome, b.outcome]).toEqual(["queued", "queued"]);
    expect((await getBalance(workspaceId)).queued).toEqual({ events: 2, credits: 10 });

    await adjust({ workspaceId, credits: 5, reason: "refill", actorUserId: userId }); // 7: a fits, b waits
    const events = await db.usageEvent.findMany({ where: { workspaceId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(events.map((e) => [e.subject, e.status])).toEqual([
      ["track-a", "COMPLETED"],
      ["track-b", "QUEUED"],
    ]);
    await expectInvariants(workspaceId);

    // At the next period's reset the allowance arrives and the rest of the queue runs.
    testClock.set(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1, 0, 0, 5)));
    const balance = await getBalance(workspaceId);
    expect(balance.queued.events).toBe(0);
    expect((await db.usageEvent.findFirstOrThrow({ where: { workspaceId, subject: "track-b" } })).status).toBe("COMPLETED");
    await expectInvariants(workspaceId);
  });
});

describe("large balances", () => {
  it("debits and balances past 2^31 credits in all (grants and daily usage are summed as bigint)", async () => {
    const { workspaceId } = await newAccount("huge-balance");
    await addCredits({ workspaceId, type: "PURCHASED", credits: 1_500_000_000, expiresAt: null, source: "test:big-1" });
    await addCredits({ workspaceId, type: "PURCHASED", credits: 1_500_000_000, expiresAt: null, source: "test:big-2" });
    expect(await debit({ workspaceId, actionKey: "image.generate" })).toMatchObject({ outcome: "charged", remaining: 3_000_000_395 });
    expect((await getBalance(workspaceId)).remaining).toBe(3_000_000_395);
    await expectInvariants(workspaceId);
  });

  it("an enterprise day of more than 2^31 credits of usage", async () => {
    const { workspaceId } = await newAccount("huge-usage");
    await changePlan({ workspaceId, planId: "enterprise" });
    const actionKey = `test.huge.${workspaceId}`;
    await db.actionPrice.create({
      data: { actionKey, version: 1, name: "Huge test action", category: "VIDEO", credits: 1_500_000_000, effectiveFrom: new Date(0) },
    });
    await debit({ workspaceId, actionKey });
    await debit({ workspaceId, actionKey });
    expect((await getBalance(workspaceId)).breakdown.find((b) => b.category === "VIDEO")).toMatchObject({
      credits: 3_000_000_000,
      events: 2,
    });
    await expectInvariants(workspaceId);
  });
});
