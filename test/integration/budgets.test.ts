import { afterEach, describe, expect, it } from "vitest";
import { createHotPool, db, getHotPool } from "@/lib/db";
import { env } from "@/lib/env";
import { testClock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { commitReservation, getBalance, refund, releaseReservation } from "@/lib/credits";
import { budgetStatus } from "@/lib/credits";
import { setBudget } from "@/lib/budgets/manage";
import { chargeByKey, CountedError, type ActionCall } from "@/lib/metering/hot-path";
import { POST as track } from "@/app/api/v1/track/route";
import * as budgetsRoute from "@/app/api/v1/budgets/route";
import * as budgetRoute from "@/app/api/v1/budgets/[id]/route";
import * as balanceRoute from "@/app/api/v1/balance/route";
import * as checkRoute from "@/app/api/v1/check/route";
import { call, keyFor } from "./api-support";
import { expectInvariants, newAccount, workspaceWith } from "./helpers";

afterEach(() => {
  testClock.reset();
});

/** The AppError a hot-path call ended with (CountedError wraps those after the call was counted). */
function errorOf(outcome: unknown): AppError | null {
  const error = outcome instanceof CountedError ? outcome.error : outcome;
  return error instanceof AppError ? error : null;
}

async function budgetOf(workspaceId: string, id: string) {
  return (await budgetStatus(workspaceId)).find((b) => b.id === id)!;
}

describe("budgets are exact under concurrency", () => {
  it("200 parallel debits on a key budget of 50, through two app instances: exactly 50 succeed", async () => {
    const { workspaceId } = await workspaceWith(10_000, "budget-race");
    const { key, client } = await keyFor(workspaceId, { hourlyCap: 1_000 });
    const budget = await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "none", limit: 50 });
    const second = createHotPool(env.DATABASE_URL!, { size: 4, waitMs: 5_000 });
    try {
      // As a client would: a 503 overloaded (a busy machine: no connection or lock in time, nothing
      // charged) is sent again with the same idempotency key until it is answered for good.
      const answer = async (i: number): Promise<string> => {
        for (;;) {
          const outcome = await chargeByKey(
            { key, action: "aria.chat", hold: false, idempotencyKey: `race-${i}` },
            i % 2 === 0 ? getHotPool() : second,
          ).then(
            (o) => o.result.outcome,
            (e: unknown) => errorOf(e)?.code ?? String(e),
          );
          if (outcome !== "overloaded") return outcome;
        }
      };
      const calls = Array.from({ length: 200 }, (_, i) => answer(i));
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o === "charged")).toHaveLength(50);
      expect(outcomes.filter((o) => o === "budget_exceeded")).toHaveLength(150);
    } finally {
      await second.end();
    }
    expect(await budgetOf(workspaceId, budget.id)).toMatchObject({ spent: 50, remaining: 0, limit: 50 });
    expect((await getBalance(workspaceId)).remaining).toBe(10_000 - 50);
    // Every refusal is on record (REJECTED, nothing charged, naming the budget); no idempotency key bound.
    expect(await db.usageEvent.count({ where: { workspaceId, status: "COMPLETED" } })).toBe(50);
    expect(
      await db.usageEvent.count({ where: { workspaceId, status: "REJECTED", rejectedBudgetId: budget.id, idempotencyKey: null } }),
    ).toBe(150);
    await expectInvariants(workspaceId);
  });
});

describe("every budget that applies is checked and counted", () => {
  it("a member budget and a key budget: the tighter refuses, both count every call", async () => {
    const { workspaceId, userId, email } = await workspaceWith(1_000, "budget-both");
    const { key, client } = await keyFor(workspaceId, { hourlyCap: 1_000 });
    const keyBudget = await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "none", limit: 20 });
    const memberBudget = await setBudget(workspaceId, { scope: "member", member_id: userId, period: "none", limit: 12 });
    const call1 = (n: number): ActionCall => ({ key, action: "aria.chat", hold: false, memberEmail: email, idempotencyKey: `both-${n}` });

    for (let n = 0; n < 12; n++) expect((await chargeByKey(call1(n))).result.outcome).toBe("charged");
    const refused = errorOf(await chargeByKey(call1(12)).catch((e: unknown) => e))!;
    expect(refused.code).toBe("budget_exceeded");
    expect(refused.status).toBe(402);
    expect(refused.options.details).toMatchObject({
      required: 1,
      budget: { id: memberBudget.id, scope: "member", member_id: userId, spent: 12, remaining: 0 },
    });
    expect(refused.message).toMatch(/This member's lifetime budget of 12 credits would be passed: 12 spent, 0 left/);
    expect(refused.options.nextStep).toMatch(/Nothing was charged\. Ask a workspace owner to raise the budget \(Settings → Members\)/);
    expect(await budgetOf(workspaceId, keyBudget.id)).toMatchObject({ spent: 12, remaining: 8 });

    // Raised: the key's budget is now the tighter one.
    await setBudget(workspaceId, { scope: "member", member_id: userId, period: "none", limit: 100 });
    for (let n = 13; n < 21; n++) expect((await chargeByKey(call1(n))).result.outcome).toBe("charged");
    const byKey = errorOf(await chargeByKey(call1(21)).catch((e: unknown) => e))!;
    expect(byKey.options.details).toMatchObject({ budget: { id: keyBudget.id, scope: "api_key", spent: 20, remaining: 0 } });
    expect(await budgetOf(workspaceId, memberBudget.id)).toMatchObject({ spent: 20, limit: 100, remaining: 80 });

    // A soft budget never refuses; a workspace budget as a percentage of the allowance (Free: 100).
    await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "none", mode: "soft", limit: 20 });
    expect((await chargeByKey(call1(22))).result.outcome).toBe("charged");
    const workspaceBudget = await setBudget(workspaceId, { scope: "workspace", period: "none", limit_percent: 22 });
    expect(workspaceBudget).toMatchObject({ limit: 22, limit_percent: 22, spent: 21, remaining: 1 });
    expect((await chargeByKey(call1(23))).result.outcome).toBe("charged");
    expect(errorOf(await chargeByKey(call1(24)).catch((e: unknown) => e))?.options.details).toMatchObject({
      budget: { scope: "workspace", limit: 22 },
    });
    await expectInvariants(workspaceId);
  });

  it("answers 402 budget_exceeded over HTTP in the documented shape, and the same key succeeds once the budget is raised", async () => {
    const { workspaceId } = await workspaceWith(1_000, "budget-http");
    const { key, client } = await keyFor(workspaceId, { hourlyCap: 1_000 });
    await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "month", limit: 5 });
    const ok = await call(track, { key, body: { action: "image.generate", idempotency_key: "img-1" } }); // 5 credits
    expect(ok.status).toBe(201);
    const over = await call(track, { key, body: { action: "aria.chat", idempotency_key: "chat-1" } });
    expect(over.status).toBe(402);
    expect(over.json.error).toMatchObject({
      code: "budget_exceeded",
      retryable: false,
      required: 1,
      budget: { scope: "api_key", period: "month", limit: 5, spent: 5 },
    });
    expect(String(over.json.error!.actionable_next_step)).toMatch(
      /Wait until the budget resets \(.+ UTC\) or ask a workspace owner to raise it \(Settings → API keys\)/,
    );
    // The dry run says so too, naming the budget, whatever the balance.
    const dry = await call(checkRoute.POST, { key, body: { action: "aria.chat" } });
    expect(dry.json).toMatchObject({ allowed: false, outcome: "deny", cost: 1, budget: { scope: "api_key", remaining: 0 } });
    await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "month", limit: 6 });
    expect((await call(checkRoute.POST, { key, body: { action: "aria.chat" } })).json).toMatchObject({ allowed: true, budget: null });
    expect((await call(track, { key, body: { action: "aria.chat", idempotency_key: "chat-1" } })).status).toBe(201);
  });
});

describe("holds, commits, releases and refunds move the budget", () => {
  it("a hold counts until released; a commit above its hold must fit; a refund gives the budget back", async () => {
    const { workspaceId } = await workspaceWith(1_000, "budget-holds");
    const { key, client } = await keyFor(workspaceId, { hourlyCap: 1_000, maxPending: 10 });
    const budget = await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "none", limit: 25 });
    const hold = async (estimate: number) => (await chargeByKey({ key, action: "stems.separate", hold: true, estimate })).result;
    const spent = async () => (await budgetOf(workspaceId, budget.id)).spent;
    const actor = { apiClientId: client.id, userId: null };

    const a = await hold(10);
    const b = await hold(10);
    expect(await spent()).toBe(20);
    expect(errorOf(await hold(10).catch((e: unknown) => e))?.code).toBe("budget_exceeded");
    if (a.outcome !== "held" || b.outcome !== "held") throw new Error("not held");
    await releaseReservation({ workspaceId, reservationId: a.eventId });
    expect(await spent()).toBe(10);
    await commitReservation({ workspaceId, reservationId: b.eventId, actual: 18, actor });
    expect(await spent()).toBe(18);

    const c = await hold(5);
    if (c.outcome !== "held") throw new Error("not held");
    expect(await spent()).toBe(23);
    const tooMuch = await commitReservation({ workspaceId, reservationId: c.eventId, actual: 9, actor }).catch((e: unknown) => e);
    expect(errorOf(tooMuch)).toMatchObject({ code: "budget_exceeded", status: 402 });
    expect(await spent()).toBe(23); // the hold is untouched: commit less, or release
    await commitReservation({ workspaceId, reservationId: c.eventId, actual: 7, actor });
    expect(await spent()).toBe(25);

    await refund({ workspaceId, eventId: b.eventId, reason: "bad render" });
    expect(await spent()).toBe(7);
    expect((await chargeByKey({ key, action: "aria.chat", hold: false })).result.outcome).toBe("charged");
    await expectInvariants(workspaceId);
  });
});

describe("periods are calendar UTC", () => {
  it("a daily budget is whole again at 00:00 UTC, once", async () => {
    const { workspaceId } = await newAccount("budget-day");
    const { key, client } = await keyFor(workspaceId, { hourlyCap: 1_000 });
    const budget = await setBudget(workspaceId, { scope: "api_key", api_key_id: client.id, period: "day", limit: 5 });
    const today = new Date();
    const lateToday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 23, 59, 0));
    const midnight = new Date(lateToday.getTime() + 60_000);
    testClock.set(lateToday);
    const debit = () =>
      chargeByKey({ key, action: "aria.chat", hold: false }).then(
        (o) => o.result.outcome,
        (e: unknown) => errorOf(e)?.code,
      );

    for (let n = 0; n < 5; n++) expect(await debit()).toBe("charged");
    const refused = errorOf(await chargeByKey({ key, action: "aria.chat", hold: false }).catch((e: unknown) => e))!;
    expect(refused.options.details).toMatchObject({ budget: { spent: 5, resets_at: midnight.toISOString() } });

    testClock.set(new Date(midnight.getTime() + 1_000));
    expect(await budgetOf(workspaceId, budget.id)).toMatchObject({ spent: 0, remaining: 5, period_start: midnight.toISOString() });
    const after = [];
    for (let n = 0; n < 7; n++) after.push(await debit());
    expect(after).toEqual(["charged", "charged", "charged", "charged", "charged", "budget_exceeded", "budget_exceeded"]);
    await expectInvariants(workspaceId);
  });
});

describe("budgets over /api/v1", () => {
  it("a workspace key reads and writes its workspace's budgets; /balance shows those that apply to it", async () => {
    const { workspaceId, userId } = await workspaceWith(1_000, "budget-api");
    const { key, client } = await keyFor(workspaceId, { hourlyCap: 1_000 });
    const other = await keyFor(workspaceId, { hourlyCap: 1_000 });

    const set = await call(budgetsRoute.PUT, {
      method: "PUT",
      key,
      body: { scope: "api_key", api_key_id: client.id, period: "day", limit: 500 },
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({
      scope: "api_key",
      api_key_id: client.id,
      period: "day",
      mode: "hard",
      limit: 500,
      spent: 0,
      remaining: 500,
    });
    await call(budgetsRoute.PUT, { method: "PUT", key, body: { scope: "api_key", api_key_id: other.client.id, period: "none", limit: 7 } });
    await call(budgetsRoute.PUT, {
      method: "PUT",
      key,
      body: { scope: "member", member_id: userId, period: "month", mode: "soft", limit: 2_000 },
    });
    const workspace = await call(budgetsRoute.PUT, {
      method: "PUT",
      key,
      body: { scope: "workspace", period: "month", limit_percent: 80 },
    });
    expect(workspace.json).toMatchObject({ scope: "workspace", limit_percent: 80, limit: 80 }); // Free: 100 a month

    expect((await call(track, { key, body: { action: "aria.chat" } })).status).toBe(201);
    const list = await call(budgetsRoute.GET, { key });
    expect((list.json.budgets as unknown[]).length).toBe(4);
    const balance = await call(balanceRoute.GET, { key });
    const applyingToKey = balance.json.budgets as { scope: string; spent: number }[];
    expect(applyingToKey.map((b) => b.scope).sort()).toEqual(["api_key", "workspace"]);
    expect(applyingToKey.every((b) => b.spent === 1)).toBe(true);

    const removed = await call(budgetRoute.DELETE, { method: "DELETE", key, params: { id: String(set.json.id) } });
    expect(removed).toMatchObject({ status: 200, json: { id: set.json.id, deleted: true } });
    expect((await call(budgetRoute.DELETE, { method: "DELETE", key, params: { id: String(set.json.id) } })).status).toBe(404);
  });

  it("refuses a budget that names nothing, names another workspace's key, or gives two limits", async () => {
    const { workspaceId } = await workspaceWith(1_000, "budget-api-bad");
    const { key } = await keyFor(workspaceId);
    const stranger = await newAccount("budget-stranger");
    const theirs = await keyFor(stranger.workspaceId);
    const bad = async (body: unknown) => (await call(budgetsRoute.PUT, { method: "PUT", key, body })).json.error;
    expect(await bad({ scope: "api_key", period: "day", limit: 5 })).toMatchObject({
      code: "invalid_request",
      fields: { api_key_id: "Name the API key (api_key_id)." },
    });
    expect(await bad({ scope: "workspace", period: "day", limit: 5, limit_percent: 50 })).toMatchObject({ code: "invalid_request" });
    expect(await bad({ scope: "member", member_id: "u", period: "week", limit_percent: 50 })).toMatchObject({ code: "invalid_request" });
    expect(await bad({ scope: "api_key", api_key_id: theirs.client.id, period: "day", limit: 5 })).toMatchObject({
      code: "not_found",
      field: "api_key_id",
    });
    expect(await bad({ scope: "workspace", period: "fortnight", limit: 5 })).toMatchObject({ code: "invalid_request" });
    expect(await bad({ scope: "workspace", period: "day", limit: -1 })).toMatchObject({ code: "invalid_request" });
    expect(await db.budget.count({ where: { workspaceId } })).toBe(0);
  });

  it("a platform key sets a budget on a customer's workspace by external id", async () => {
    const { workspaceId } = await workspaceWith(1_000, "budget-platform");
    const externalId = `budget-customer-${workspaceId}`;
    await db.workspace.update({ where: { id: workspaceId }, data: { externalId } });
    const platform = await keyFor(null, { kind: "PLATFORM" });
    const set = await call(budgetsRoute.PUT, {
      method: "PUT",
      key: platform.key,
      body: { external_id: externalId, scope: "workspace", period: "none", limit: 1 },
    });
    expect(set).toMatchObject({ status: 200, json: { scope: "workspace", limit: 1 } });
    expect((await call(track, { key: platform.key, body: { external_id: externalId, action: "aria.chat" } })).status).toBe(201);
    const over = await call(track, { key: platform.key, body: { external_id: externalId, action: "aria.chat" } });
    expect(over.json.error).toMatchObject({ code: "budget_exceeded", budget: { scope: "workspace", spent: 1, limit: 1 } });
  });
});
