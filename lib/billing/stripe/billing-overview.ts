import "server-only";
import Stripe from "stripe";
import { db } from "@/lib/db";
import { stripe } from "@/lib/billing/stripe/client";

/** What the workspace pays next: nothing, an amount on a date, or nothing more (the plan ends then). */
export type NextCharge =
  { kind: "none" } | { kind: "charge"; amountCents: number; currency: string; at: string } | { kind: "ends"; at: string };

export type CardOnFile = { brand: string; last4: string; expMonth: number; expYear: number };

export type PastInvoiceStatus = "paid" | "open" | "void" | "uncollectible";

export type PastInvoice = {
  id: string;
  number: string | null;
  /** When it was issued (finalized). */
  issuedAt: string;
  amountPaidCents: number;
  amountDueCents: number;
  currency: string;
  status: PastInvoiceStatus;
  hostedUrl: string | null;
  pdfUrl: string | null;
};

/** The "Invoices and next charge" card's facts, or `available: false` when Stripe could not be read. */
export type BillingOverview =
  { available: false } | { available: true; nextCharge: NextCharge; card: CardOnFile | null; invoices: PastInvoice[] };

export const INVOICE_LIMIT = 12;

/**
 * Page reads: one attempt each, bounded, so an unreachable Stripe costs the page at most this long
 * (the client's default retries with backoff are for writes that must get through).
 */
const READ: Stripe.RequestOptions = { maxNetworkRetries: 0, timeout: 5_000 };

const iso = (unix: number) => new Date(unix * 1000).toISOString();

const EMPTY: BillingOverview = { available: true, nextCharge: { kind: "none" }, card: null, invoices: [] };

/**
 * The next charge, the card on file and the last 12 invoices of the workspace's Stripe customer, read
 * through the SDK. A workspace that never had a Stripe customer costs no Stripe call. Never throws:
 * when Stripe cannot be read the card says so and the rest of the billing page renders as usual.
 */
export async function billingOverview(workspaceId: string): Promise<BillingOverview> {
  const w = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { stripeCustomerId: true, stripeSubscriptionId: true, subscriptionStatus: true },
  });
  if (!w.stripeCustomerId) return EMPTY;
  const customerId = w.stripeCustomerId;
  const subscriptionId =
    w.stripeSubscriptionId && w.subscriptionStatus !== "NONE" && w.subscriptionStatus !== "CANCELED" ? w.stripeSubscriptionId : null;
  try {
    const [customer, subscription, preview, invoices] = await Promise.all([
      stripe().customers.retrieve(customerId, { expand: ["invoice_settings.default_payment_method"] }, READ),
      subscriptionId ? stripe().subscriptions.retrieve(subscriptionId, { expand: ["default_payment_method"] }, READ) : null,
      subscriptionId ? upcomingInvoice(customerId, subscriptionId) : null,
      stripe().invoices.list({ customer: customerId, limit: INVOICE_LIMIT }, READ),
    ]);
    return {
      available: true,
      nextCharge: nextChargeOf(subscription, preview),
      card:
        cardOf(customer.deleted ? null : customer.invoice_settings.default_payment_method) ??
        cardOf(subscription?.default_payment_method ?? null),
      invoices: invoices.data.flatMap(pastInvoice),
    };
  } catch (err) {
    console.error(`stripe: billing overview of workspace ${workspaceId} unavailable: ${err instanceof Error ? err.message : String(err)}`);
    return { available: false };
  }
}

/** The subscription's next invoice; null when Stripe has none to preview (the subscription is ending). */
async function upcomingInvoice(customer: string, subscription: string): Promise<Stripe.Invoice | null> {
  try {
    return await stripe().invoices.createPreview({ customer, subscription }, READ);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError && err.code === "invoice_upcoming_none") return null;
    throw err;
  }
}

function nextChargeOf(subscription: Stripe.Subscription | null, preview: Stripe.Invoice | null): NextCharge {
  if (!subscription || subscription.status === "canceled" || subscription.status === "incomplete_expired") return { kind: "none" };
  const periodEnd = subscription.items.data[0]?.current_period_end;
  const endsAt = subscription.cancel_at ?? (subscription.cancel_at_period_end && periodEnd !== undefined ? periodEnd : null);
  if (endsAt !== null) return { kind: "ends", at: iso(endsAt) };
  if (!preview) return { kind: "none" };
  return {
    kind: "charge",
    amountCents: preview.amount_due,
    currency: preview.currency,
    at: iso(preview.next_payment_attempt ?? preview.period_end),
  };
}

function cardOf(pm: string | Stripe.PaymentMethod | null): CardOnFile | null {
  if (!pm || typeof pm === "string" || !pm.card) return null;
  return { brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year };
}

/** A finalized invoice as a row (drafts are not shown: they have no number or documents yet). */
const SHOWN: readonly string[] = ["paid", "open", "void", "uncollectible"] satisfies PastInvoiceStatus[];
const isShown = (status: string | null): status is PastInvoiceStatus => status !== null && SHOWN.includes(status);

function pastInvoice(invoice: Stripe.Invoice): PastInvoice[] {
  const status = invoice.status;
  if (!invoice.id || !isShown(status)) return [];
  return [
    {
      id: invoice.id,
      number: invoice.number,
      issuedAt: iso(invoice.status_transitions.finalized_at ?? invoice.created),
      amountPaidCents: invoice.amount_paid,
      amountDueCents: invoice.amount_due,
      currency: invoice.currency,
      status,
      hostedUrl: invoice.hosted_invoice_url ?? null,
      pdfUrl: invoice.invoice_pdf ?? null,
    },
  ];
}
