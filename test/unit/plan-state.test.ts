import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { derivePlanState, type PlanFacts } from "@/lib/billing/plan-state";

const FREE = { id: "free", name: "Free", monthlyCredits: 100, priceMonthlyCents: 0, priceYearlyCents: 0 };
const STARTER = { id: "starter", name: "Starter", monthlyCredits: 1_000, priceMonthlyCents: 999, priceYearlyCents: 9_990 };
const PRO = { id: "pro", name: "Pro", monthlyCredits: 5_000, priceMonthlyCents: 2_900, priceYearlyCents: 29_000 };
const ENTERPRISE = { id: "enterprise", name: "Enterprise", monthlyCredits: null, priceMonthlyCents: 24_900, priceYearlyCents: 249_000 };

const DEC_6 = new Date("2026-12-06T10:00:00.000Z");
const JAN_1 = new Date("2027-01-01T00:00:00.000Z");
const JAN_5 = new Date("2027-01-05T10:00:00.000Z");

function facts(patch: Partial<PlanFacts> = {}): PlanFacts {
  return {
    plan: FREE,
    pendingPlan: null,
    pendingPlanAt: null,
    interval: "month",
    subscriptionStatus: "NONE",
    stripeSubscriptionId: null,
    pastDueSince: null,
    trialUsedAt: null,
    trialEndsAt: null,
    billingPeriodEnd: null,
    ...patch,
  };
}

const subscribed = (patch: Partial<PlanFacts>) =>
  facts({ plan: PRO, stripeSubscriptionId: "sub_1", subscriptionStatus: "ACTIVE", billingPeriodEnd: JAN_1, trialUsedAt: DEC_6, ...patch });

describe("derivePlanState", () => {
  it("free: a new workspace may start a trial and has nothing to change", () => {
    expect(derivePlanState(facts())).toEqual({
      kind: "free",
      lapsed: false,
      plan: { id: "free", name: "Free", monthlyCredits: 100, priceCents: 0 },
      interval: "month",
      subscribed: false,
      trialEligible: true,
    });
  });

  it("free after a lapse: said so, no subscription to change, no second trial", () => {
    const state = derivePlanState(facts({ subscriptionStatus: "CANCELED", stripeSubscriptionId: "sub_1", trialUsedAt: DEC_6 }));
    expect(state).toMatchObject({ kind: "free", lapsed: true, subscribed: false, trialEligible: false });
  });

  it("trialing: the trial's end and the first charge (the plan's price on that day)", () => {
    const state = derivePlanState(subscribed({ subscriptionStatus: "TRIALING", trialEndsAt: JAN_5, billingPeriodEnd: JAN_5 }));
    expect(state).toMatchObject({
      kind: "trialing",
      trialEndsAt: JAN_5.toISOString(),
      firstCharge: { amountCents: 2_900, at: JAN_5.toISOString() },
      subscribed: true,
      trialEligible: false,
    });
  });

  it("trialing without a stored trial end falls back to the billing period's end (rows converged before it was kept)", () => {
    const state = derivePlanState(subscribed({ subscriptionStatus: "TRIALING", trialEndsAt: null, billingPeriodEnd: JAN_5 }));
    expect(state).toMatchObject({ kind: "trialing", trialEndsAt: JAN_5.toISOString() });
  });

  it("annual trial: the first charge is the annual price", () => {
    const state = derivePlanState(subscribed({ subscriptionStatus: "TRIALING", interval: "year", trialEndsAt: JAN_5 }));
    expect(state).toMatchObject({ kind: "trialing", firstCharge: { amountCents: 29_000 } });
  });

  it("active: renews at the period end for the plan's price", () => {
    expect(derivePlanState(subscribed({}))).toMatchObject({
      kind: "active",
      renewsAt: JAN_1.toISOString(),
      nextCharge: { amountCents: 2_900, at: JAN_1.toISOString() },
      subscribed: true,
    });
  });

  it("active without a subscription (granted by an operator): no renewal, no charge, nothing to change through Stripe", () => {
    expect(derivePlanState(facts({ plan: ENTERPRISE }))).toMatchObject({
      kind: "active",
      renewsAt: null,
      nextCharge: null,
      subscribed: false,
    });
  });

  it("past due: the pause 7 days and the return to Free 30 days after the failure", () => {
    const since = new Date("2026-12-02T08:00:00.000Z");
    expect(derivePlanState(subscribed({ subscriptionStatus: "PAST_DUE", pastDueSince: since }))).toMatchObject({
      kind: "past_due",
      since: since.toISOString(),
      pausesAt: "2026-12-09T08:00:00.000Z",
      freeAt: "2027-01-01T08:00:00.000Z",
    });
  });

  it("paused: the return to Free; it wins over a scheduled change", () => {
    const since = new Date("2026-11-20T00:00:00.000Z");
    const state = derivePlanState(
      subscribed({ subscriptionStatus: "PAUSED", pastDueSince: since, pendingPlan: STARTER, pendingPlanAt: JAN_1 }),
    );
    expect(state).toMatchObject({ kind: "paused", freeAt: "2026-12-20T00:00:00.000Z" });
  });

  it("cancelling: the end date, during a trial too", () => {
    expect(derivePlanState(subscribed({ pendingPlan: FREE, pendingPlanAt: JAN_1 }))).toMatchObject({
      kind: "cancelling",
      endsAt: JAN_1.toISOString(),
      trial: false,
    });
    expect(
      derivePlanState(subscribed({ subscriptionStatus: "TRIALING", trialEndsAt: JAN_5, pendingPlan: FREE, pendingPlanAt: JAN_5 })),
    ).toMatchObject({
      kind: "cancelling",
      endsAt: JAN_5.toISOString(),
      trial: true,
    });
  });

  it("scheduled: the plan it changes to, when, and its price from then", () => {
    expect(derivePlanState(subscribed({ pendingPlan: STARTER, pendingPlanAt: JAN_1 }))).toMatchObject({
      kind: "scheduled",
      to: { id: "starter", name: "Starter", priceCents: 999, monthlyCredits: 1_000 },
      at: JAN_1.toISOString(),
      trial: false,
    });
  });

  it("a pending plan without its date is not a schedule (half-written rows never show a change without a date)", () => {
    expect(derivePlanState(subscribed({ pendingPlan: STARTER, pendingPlanAt: null })).kind).toBe("active");
  });

  it("any facts give exactly one state, and every date it shows is a real instant", () => {
    const plans = fc.constantFrom(FREE, STARTER, PRO, ENTERPRISE);
    const date = fc.option(fc.date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true }), { nil: null });
    const arbitrary = fc.record({
      plan: plans,
      pendingPlan: fc.option(plans, { nil: null }),
      pendingPlanAt: date,
      interval: fc.constantFrom("month" as const, "year" as const),
      subscriptionStatus: fc.constantFrom(
        "NONE" as const,
        "TRIALING" as const,
        "ACTIVE" as const,
        "PAST_DUE" as const,
        "PAUSED" as const,
        "CANCELED" as const,
      ),
      stripeSubscriptionId: fc.option(fc.constant("sub_x"), { nil: null }),
      pastDueSince: date,
      trialUsedAt: date,
      trialEndsAt: date,
      billingPeriodEnd: date,
    });
    fc.assert(
      fc.property(arbitrary, (f) => {
        const state = derivePlanState(f);
        for (const value of Object.values(state))
          if (typeof value === "string" && /^\d{4}-/.test(value)) expect(Number.isNaN(Date.parse(value))).toBe(false);
        if (state.kind === "free") expect(state.plan.priceCents).toBe(0);
        if (state.kind === "trialing" || state.kind === "active") expect(f.pendingPlan && f.pendingPlanAt).toBeFalsy();
        if (state.kind === "past_due" || state.kind === "paused")
          expect(f.subscriptionStatus).toBe(state.kind === "paused" ? "PAUSED" : "PAST_DUE");
        if (state.kind === "trialing") expect(f.subscriptionStatus).toBe("TRIALING");
      }),
    );
  });
});
