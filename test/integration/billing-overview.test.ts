import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { testClock } from "@/lib/clock";
import { stripe } from "@/lib/billing/stripe/client";
import { billingOverview, type BillingOverview } from "@/lib/billing/stripe/billing-overview";
import { createPlanCheckout } from "@/lib/billing/stripe/subscriptions";
import { POST as webhook } from "@/app/api/stripe/webhook/route";
import { emulatorControl, serveRoute, waitFor } from "./stripe-support";
import { newAccount } from "./helpers";

// The billing page's "Invoices and next charge" facts, read through the real SDK from the emulator
// after a subscription started the way the app starts one (Checkout, then the webhook).
let receiver: Awaited<ReturnType<typeof serveRoute>>;
const control = <T = unknown>(method: "GET" | "POST" | "DELETE", path: string, body?: object) =>
  method === "DELETE"
    ? fetch(`${env.STRIPE_API_BASE}/_emulator${path}`, { method, headers: { authorization: `Bearer ${env.STRIPE_SECRET_KEY}` } })
    : emulatorControl<T>(env.STRIPE_API_BASE!, env.STRIPE_SECRET_KEY!, method, path, body);
const MID_MARCH = new Date("2031-03-15T12:00:00Z");
const APRIL_1 = new Date("2031-04-01T00:00:00Z");
const DAY = 86_400_000;

beforeAll(async () => {
  receiver = await serveRoute(webhook);
  await stripe().webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
});
afterAll(() => receiver.close());
afterEach(async () => {
  testClock.reset();
  await control("DELETE", "/faults");
});

async function moveClocks(to: Date) {
  testClock.set(to);
  await control("POST", "/clock", { now: Math.floor(to.getTime() / 1000) });
}

/** A workspace on monthly Pro since mid-March (no trial), paid with Stripe's test Mastercard. */
async function subscribedToPro() {
  await moveClocks(MID_MARCH);
  const account = await newAccount("overview");
  await db.workspace.update({ where: { id: account.workspaceId }, data: { trialUsedAt: new Date("2030-01-01") } });
  const session = await createPlanCheckout({ workspaceId: account.workspaceId, email: account.email, planId: "pro", interval: "month" });
  await control("POST", `/checkout/sessions/${session.id}/pay`, { outcome: "succeeded", payment_method: "pm_card_mastercard" });
  const workspace = await waitFor(async () => {
    const w = await db.workspace.findUniqueOrThrow({ where: { id: account.workspaceId } });
    return w.planId === "pro" && w.stripeSubscriptionId ? w : undefined;
  }, "the Pro subscription");
  return { ...account, subscriptionId: workspace.stripeSubscriptionId! };
}

function available(overview: BillingOverview) {
  if (!overview.available) throw new Error("expected the billing overview to be available");
  return overview;
}

describe("billingOverview", () => {
  it("shows the next charge from Stripe's preview, the card on file and the invoices with documents that open", async () => {
    const { workspaceId } = await subscribedToPro();
    const overview = available(await billingOverview(workspaceId));
    expect(overview.nextCharge).toEqual({ kind: "charge", amountCents: 2900, currency: "usd", at: APRIL_1.toISOString() });
    expect(overview.card).toEqual({ brand: "mastercard", last4: "4444", expMonth: 12, expYear: 2034 });
    // The first partial month: 16.5 of March's 31 days at $29.00, paid at Checkout.
    const prorated = Math.round((2900 * (APRIL_1.getTime() - MID_MARCH.getTime())) / (31 * DAY));
    expect(overview.invoices).toHaveLength(1);
    const [first] = overview.invoices;
    expect(first).toMatchObject({ status: "paid", amountPaidCents: prorated, currency: "usd" });
    // Issued at Checkout (the emulator's clock runs on from where it was set).
    expect(Date.parse(first!.issuedAt) - MID_MARCH.getTime()).toBeGreaterThanOrEqual(0);
    expect(Date.parse(first!.issuedAt) - MID_MARCH.getTime()).toBeLessThan(60_000);
    expect(first!.number).toMatch(/^[A-Z0-9]+-0001$/);
    const page = await fetch(first!.hostedUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(first!.number!);
    const pdf = await fetch(first!.pdfUrl!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");

    // On April 1st Stripe bills what the preview said; the renewal is listed first and the next charge moves to May.
    await moveClocks(APRIL_1);
    const after = await waitFor(async () => {
      const o = available(await billingOverview(workspaceId));
      return o.invoices.length === 2 ? o : undefined;
    }, "the renewal invoice");
    expect(after.invoices.map((i) => [i.status, i.amountPaidCents])).toEqual([
      ["paid", 2900],
      ["paid", prorated],
    ]);
    expect(after.nextCharge).toEqual({ kind: "charge", amountCents: 2900, currency: "usd", at: "2031-05-01T00:00:00.000Z" });
  });

  it("a subscription set to cancel has nothing more to pay: it ends at the period's end", async () => {
    const { workspaceId, subscriptionId } = await subscribedToPro();
    await stripe().subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    const overview = available(await billingOverview(workspaceId));
    expect(overview.nextCharge).toEqual({ kind: "ends", at: APRIL_1.toISOString() });
    expect(overview.card).toMatchObject({ last4: "4444" });
    expect(overview.invoices).toHaveLength(1);
  });

  it("a Free workspace without a Stripe customer costs no Stripe call", async () => {
    const { workspaceId } = await newAccount("overview-free");
    // Every API call of this Stripe account would fail now: the overview must not make one.
    for (const method of ["GET", "POST"]) await control("POST", "/faults", { method, path: "/v1/*", status: 500, count: 100 });
    expect(await billingOverview(workspaceId)).toEqual({ available: true, nextCharge: { kind: "none" }, card: null, invoices: [] });
  });

  it("says the details are unavailable when Stripe fails, and recovers when it answers again", async () => {
    const { workspaceId } = await subscribedToPro();
    await control("POST", "/faults", { method: "GET", path: "/v1/invoices", status: 500, count: 1 });
    expect(await billingOverview(workspaceId)).toEqual({ available: false });
    expect(available(await billingOverview(workspaceId)).invoices).toHaveLength(1);
  });
});
