import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { stripe } from "@/lib/billing/stripe/client";
import { createPlanCheckout } from "@/lib/billing/stripe/subscriptions";
import { deleteAccount, deletedEmail } from "@/lib/accounts/delete";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { expectInvariants, newAccount } from "./helpers";

// Deleting the account of a paying customer, through the real SDK against the emulator: the subscription
// of the workspace being closed is cancelled at Stripe before anything is erased.
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const control = <T = unknown>(method: "GET" | "POST", path: string, body?: object) =>
  emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
});
afterAll(() => receiver.close());

async function subscribedAccount() {
  const account = await newAccount("paying");
  await db.workspace.update({ where: { id: account.workspaceId }, data: { trialUsedAt: new Date("2030-01-01") } });
  const session = await createPlanCheckout({
    workspaceId: account.workspaceId,
    email: account.email,
    planId: "starter",
    interval: "month",
  });
  await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded" });
  const workspace = await waitFor(async () => {
    const w = await db.workspace.findUniqueOrThrow({ where: { id: account.workspaceId } });
    return w.planId === "starter" && w.stripeSubscriptionId ? w : undefined;
  }, "starter subscription");
  return { ...account, subscriptionId: workspace.stripeSubscriptionId! };
}

describe("deleting the account of a paying customer", () => {
  it("cancels the subscription of the workspace it closes, then erases the account; the ledger still balances", async () => {
    const { email, userId, workspaceId, subscriptionId } = await subscribedAccount();
    expect((await stripe().subscriptions.retrieve(subscriptionId)).status).toBe("active");

    expect(await deleteAccount({ userId, confirmEmail: email })).toEqual({ closed: [workspaceId], left: [] });
    expect((await stripe().subscriptions.retrieve(subscriptionId)).status).toBe("canceled");
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).email).toBe(deletedEmail(userId));
    // Stripe's customer.subscription.deleted then reaches the closed workspace like any other.
    await waitFor(async () => {
      const w = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
      return w.subscriptionStatus !== "ACTIVE" ? w : undefined;
    }, "the cancellation to reach the workspace");
    expect((await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).closedAt).not.toBeNull();
    await expectInvariants(workspaceId);
  });

  it("goes ahead when Stripe no longer knows the subscription (nothing there to charge)", async () => {
    const { email, userId, workspaceId } = await newAccount("stripe-unknown");
    await db.workspace.update({ where: { id: workspaceId }, data: { stripeSubscriptionId: `sub_unknown_${workspaceId}` } });
    expect(await deleteAccount({ userId, confirmEmail: email })).toEqual({ closed: [workspaceId], left: [] });
    expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).deletedAt).not.toBeNull();
  });
});
