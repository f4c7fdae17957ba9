import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { debit, getBalance, setSubscriptionState, type SubscriptionState } from "@/lib/credits";
import { sweepCredits } from "@/lib/credits/sweep";
import { expectInvariants, newAccount } from "./helpers";

// The ledger side of subscriptions, without Stripe: lib/billing maps Stripe's objects to these states.
const DAY = 86_400_000;
const MID_MAY = new Date("2031-05-10T12:00:00Z");
const JUNE_1 = new Date("2031-06-01T00:00:00Z");

beforeEach(() => {
  testClock.set(MID_MAY);
});
afterEach(() => {
  testClock.reset();
});

function state(workspaceId: string, patch: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    workspaceId,
    subscriptionId: `sub_${workspaceId}`,
    planId: "pro",
    interval: "MONTH",
    status: "ACTIVE",
    startedAt: MID_MAY,
    periodEnd: JUNE_1,
    cancelAtPeriodEnd: false,
    pastDueSince: null,
    trialStartedAt: null,
    trialEndsAt: null,
    ...patch,
  };
}

const workspaceOf = (id: string) => db.workspace.findUniqueOrThrow({ where: { id } });

async function at(date: Date, workspaceId: string) {
  testClock.set(date);
  await sweepCredits({ workspaceIds: [workspaceId] });
}

describe("subscription state in the ledger", () => {
  it("an upgrade takes effect at once: Free → Pro tops the allowance up to 5,000; Starter → Pro adds 4,000", async () => {
    const { workspaceId } = await newAccount("up");
    await setSubscriptionState(state(workspaceId, { planId: "starter" }));
    expect((await getBalance(workspaceId)).allowance).toBe(1000);
    await setSubscriptionState(state(workspaceId, { planId: "pro" }));
    const balance = await getBalance(workspaceId);
    expect(balance).toMatchObject({ allowance: 5000, allowanceRemaining: 5000, plan: { id: "pro" } });
    const topUps = await db.ledgerEntry.findMany({
      where: { workspaceId, kind: "GRANT", reason: { startsWith: "upgrade" } },
      orderBy: { id: "asc" },
    });
    expect(topUps.map((e) => e.amount)).toEqual([900, 4000]);
    // The same state again changes nothing.
    await setSubscriptionState(state(workspaceId, { planId: "pro" }));
    expect(await db.ledgerEntry.count({ where: { workspaceId, kind: "GRANT", reason: { startsWith: "upgrade" } } })).toBe(2);
    await expectInvariants(workspaceId);
  });

  it("a downgrade waits for the period end, then the next allowance is the smaller plan's", async () => {
    const { workspaceId } = await newAccount("down");
    await setSubscriptionState(state(workspaceId, { planId: "pro" }));
    await setSubscriptionState(state(workspaceId, { planId: "starter" }));
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "pro", pendingPlanId: "starter", pendingPlanAt: JUNE_1 });
    expect((await getBalance(workspaceId)).allowance).toBe(5000);
    await at(new Date(JUNE_1.getTime() + 60_000), workspaceId);
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "starter", pendingPlanId: null });
    expect((await getBalance(workspaceId)).allowance).toBe(1000);
    await expectInvariants(workspaceId);
  });

  it("cancel at period end: Pro until June 1, Free with 100 credits after; the ended subscription is forgotten", async () => {
    const { workspaceId } = await newAccount("cancel");
    await setSubscriptionState(state(workspaceId, { cancelAtPeriodEnd: true }));
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "pro", pendingPlanId: "free", pendingPlanAt: JUNE_1 });
    // Undoing the cancellation clears it.
    await setSubscriptionState(state(workspaceId));
    expect((await workspaceOf(workspaceId)).pendingPlanId).toBeNull();
    await setSubscriptionState(state(workspaceId, { cancelAtPeriodEnd: true }));
    await at(new Date(JUNE_1.getTime() + 60_000), workspaceId);
    await setSubscriptionState(state(workspaceId, { status: "ENDED" }));
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "free", subscriptionStatus: "NONE", stripeSubscriptionId: null });
    const balance = await getBalance(workspaceId);
    expect(balance.allowance).toBe(100);
    expect(balance.allowanceRemaining).toBe(100);
    await expectInvariants(workspaceId);
  });

  it("a trial grants the allowance at once; cancelled, it returns to Free at the trial's end with what Free would have left", async () => {
    const { workspaceId } = await newAccount("trial");
    const trialEnd = new Date(MID_MAY.getTime() + 30 * DAY);
    await setSubscriptionState(state(workspaceId, { status: "TRIALING", trialStartedAt: MID_MAY, periodEnd: trialEnd }));
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "pro", subscriptionStatus: "TRIALING", trialUsedAt: MID_MAY });
    expect((await getBalance(workspaceId)).allowanceRemaining).toBe(5000);
    for (let i = 0; i < 6; i++) await debit({ workspaceId, actionKey: "video.generate" }); // 120 credits
    // June 1 comes first: a new period of the trial's plan.
    await setSubscriptionState(
      state(workspaceId, { status: "TRIALING", trialStartedAt: MID_MAY, periodEnd: trialEnd, cancelAtPeriodEnd: true }),
    );
    await at(new Date(JUNE_1.getTime() + DAY), workspaceId);
    expect((await getBalance(workspaceId)).allowance).toBe(5000);
    await debit({ workspaceId, actionKey: "video.generate" }); // 20 used in June
    await at(new Date(trialEnd.getTime() + 60_000), workspaceId);
    const after = await workspaceOf(workspaceId);
    expect(after.planId).toBe("free");
    const balance = await getBalance(workspaceId);
    expect(balance.allowanceRemaining).toBe(80); // Free's 100, less the 20 used this period
    await setSubscriptionState(state(workspaceId, { status: "ENDED" }));
    expect((await getBalance(workspaceId)).allowanceRemaining).toBe(80);
    await expectInvariants(workspaceId);
  });

  it("failed payment: past due at once, paused after 7 days (allowance frozen, bonus usable), restored by paying", async () => {
    const { workspaceId } = await newAccount("dunning");
    await setSubscriptionState(state(workspaceId));
    await setSubscriptionState(state(workspaceId, { status: "PAST_DUE", pastDueSince: MID_MAY }));
    expect(await workspaceOf(workspaceId)).toMatchObject({ subscriptionStatus: "PAST_DUE", pastDueSince: MID_MAY });
    expect((await getBalance(workspaceId)).remaining).toBe(5300);

    await at(new Date(MID_MAY.getTime() + 7 * DAY), workspaceId);
    expect((await workspaceOf(workspaceId)).subscriptionStatus).toBe("PAUSED");
    let balance = await getBalance(workspaceId);
    expect(balance.remainingByType).toEqual({ SUBSCRIPTION: 0, BONUS: 300, PURCHASED: 0 });
    const spent = await debit({ workspaceId, actionKey: "sonic.analysis" });
    expect(spent.outcome).toBe("charged"); // from the bonus
    // Stripe retrying and failing again changes nothing.
    await setSubscriptionState(state(workspaceId, { status: "PAST_DUE", pastDueSince: MID_MAY }));
    expect((await workspaceOf(workspaceId)).subscriptionStatus).toBe("PAUSED");

    await setSubscriptionState(state(workspaceId, { status: "ACTIVE" }));
    expect(await workspaceOf(workspaceId)).toMatchObject({ subscriptionStatus: "ACTIVE", pastDueSince: null });
    balance = await getBalance(workspaceId);
    expect(balance.remainingByType).toEqual({ SUBSCRIPTION: 5000, BONUS: 295, PURCHASED: 0 });
    await expectInvariants(workspaceId);
  });

  it("failed payment: a rollover while past due still grants; paused gets no new allowance; Free after 30 days", async () => {
    const { workspaceId } = await newAccount("lapse");
    const since = new Date("2031-05-28T00:00:00Z");
    await setSubscriptionState(state(workspaceId));
    await at(since, workspaceId);
    await setSubscriptionState(state(workspaceId, { status: "PAST_DUE", pastDueSince: since }));
    await at(new Date(JUNE_1.getTime() + 60_000), workspaceId); // day 4: still past due, June's grant made
    expect((await getBalance(workspaceId)).allowanceRemaining).toBe(5000);
    await at(new Date(since.getTime() + 7 * DAY), workspaceId);
    expect((await getBalance(workspaceId)).remainingByType.SUBSCRIPTION).toBe(0);
    await at(new Date(since.getTime() + 30 * DAY), workspaceId);
    expect(await workspaceOf(workspaceId)).toMatchObject({ planId: "free", subscriptionStatus: "CANCELED" });
    expect((await getBalance(workspaceId)).allowanceRemaining).toBe(100);
    await expectInvariants(workspaceId);
  });
});
