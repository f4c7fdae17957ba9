// invoice: https://docs.stripe.com/api/invoices/object — the object, its lines, and the invoice_payment
// objects that link an invoice to its payment intent (`expand[]=payments`). Subscriptions create
// invoices (billing/invoicing.ts); in the 2026 API an invoice names its subscription under
// parent.subscription_details. The API (retrieve, list, lines, pay, create_preview; GET
// /v1/invoice_payments) is resources/invoice-routes.ts: it calls billing/, which builds on this module,
// so it lives apart from the object (no import cycle).
import { newId } from "../ids.ts";
import { listOf, type ListObject } from "../list.ts";
import type { Metadata } from "../params.ts";
import type { Account, Store } from "../store.ts";
import type { Address } from "./common.ts";
import type { Customer } from "./customers.ts";
import type { Price } from "./prices.ts";
import type { Subscription } from "./subscriptions.ts";

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";
export type BillingReason = "subscription_create" | "subscription_cycle" | "subscription_update";

/** An invoice line before it belongs to an invoice (pending prorations wait as these). */
export type LineDraft = {
  amount: number;
  description: string;
  period: { start: number; end: number };
  price: Price;
  quantity: number;
  proration: boolean;
  subscriptionItem: string;
  /** Set for a pending invoice item (a `create_prorations` change billed with the next invoice). */
  invoiceItem: string | null;
};

function lineParent(d: LineDraft, subscription: string) {
  const common = { proration: d.proration, proration_details: { credited_items: null }, subscription };
  return d.invoiceItem
    ? {
        type: "invoice_item_details" as const,
        invoice_item_details: { ...common, invoice_item: d.invoiceItem },
        subscription_item_details: null,
      }
    : {
        type: "subscription_item_details" as const,
        invoice_item_details: null,
        subscription_item_details: { ...common, invoice_item: null, subscription_item: d.subscriptionItem },
      };
}

export function buildInvoiceLine(
  invoice: { id: string; currency: string },
  subscription: Pick<Subscription, "id" | "metadata">,
  d: LineDraft,
) {
  return {
    id: newId("line_item"),
    object: "line_item" as const,
    amount: d.amount,
    currency: invoice.currency,
    description: d.description as string | null,
    discount_amounts: [],
    discountable: !d.proration,
    discounts: [],
    invoice: invoice.id as string | null,
    livemode: false,
    // Stripe copies the subscription's metadata onto its subscription lines.
    metadata: (d.invoiceItem ? {} : { ...subscription.metadata }) as Metadata,
    parent: lineParent(d, subscription.id),
    period: d.period,
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: d.price.id, product: d.price.product },
      type: "price_details" as const,
      unit_amount_decimal: String(d.amount / d.quantity),
    },
    quantity: d.quantity as number | null,
    quantity_decimal: String(d.quantity) as string | null,
    subscription: subscription.id as string | null,
    subtotal: d.amount,
    taxes: [],
  };
}
export type InvoiceLine = ReturnType<typeof buildInvoiceLine>;

export function buildInvoice(
  now: number,
  f: { customer: Customer; subscription: Subscription; billingReason: BillingReason; periodStart: number; periodEnd: number },
) {
  const id = newId("invoice");
  const { customer, subscription } = f;
  return {
    id,
    object: "invoice" as const,
    account_country: "US" as string | null,
    account_name: "Creditbook" as string | null,
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_paid_off_stripe: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: f.billingReason as BillingReason | null,
    collection_method: "charge_automatically" as const,
    confirmation_secret: null,
    created: now,
    currency: subscription.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address as Address | null,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: customer.phone,
    customer_shipping: null,
    customer_tax_exempt: customer.tax_exempt,
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: subscription.description,
    discounts: [],
    due_date: null,
    effective_at: null as number | null,
    ending_balance: null as number | null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null as string | null,
    invoice_pdf: null as string | null,
    issuer: { type: "self" as const },
    last_finalization_error: null,
    latest_revision: null,
    lines: listOf<InvoiceLine>([], `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: {} as Metadata | null,
    next_payment_attempt: null as number | null,
    number: null as string | null,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata } as Metadata | null, subscription: subscription.id },
      type: "subscription_details" as const,
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: f.periodEnd,
    period_start: f.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "draft" as InvoiceStatus | null,
    status_transitions: {
      finalized_at: null as number | null,
      marked_uncollectible_at: null,
      paid_at: null as number | null,
      voided_at: null,
    },
    subtotal: 0,
    subtotal_excluding_tax: 0 as number | null,
    test_clock: null,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0 as number | null,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}
export type Invoice = ReturnType<typeof buildInvoice>;

/** Puts the lines on a draft invoice and sums them (no discounts or taxes in the emulator). */
export function setLines(invoice: Invoice, lines: InvoiceLine[]): void {
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  invoice.lines = listOf(lines, `/v1/invoices/${invoice.id}/lines`);
  Object.assign(invoice, {
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    amount_due: Math.max(0, total),
    amount_remaining: Math.max(0, total),
  });
}

export function subscriptionOf(invoice: Invoice): string | null {
  return invoice.parent?.subscription_details?.subscription ?? null;
}

export function buildInvoicePayment(now: number, f: { invoice: Invoice; paymentIntent: string; amount: number }) {
  return {
    id: newId("invoice_payment"),
    object: "invoice_payment" as const,
    amount_paid: null as number | null,
    amount_requested: f.amount,
    created: now,
    currency: f.invoice.currency,
    invoice: f.invoice.id,
    is_default: true,
    livemode: false,
    payment: { payment_intent: f.paymentIntent, type: "payment_intent" as const },
    status: "open" as "canceled" | "open" | "paid",
    status_transitions: { canceled_at: null as number | null, paid_at: null as number | null },
  };
}
export type InvoicePayment = ReturnType<typeof buildInvoicePayment>;

/** `expand[]=payments` on an invoice: its payments, newest first, as Stripe includes them. */
export function invoicePaymentsList(store: Store, account: Account, invoice: Invoice): ListObject<InvoicePayment> {
  const payments = store.newestFirst(account, "invoice_payment").filter((p) => p.invoice === invoice.id);
  return listOf(payments.slice(0, 10), `/v1/invoice_payments?invoice=${invoice.id}`, payments.length > 10);
}
