// The invoices API: retrieve, list, lines, pay, create_preview (a subscription's next invoice, with a
// proposed change in subscription_details: billing/preview.ts), and GET /v1/invoice_payments. The objects
// are resources/invoices.ts.
import { payInvoice } from "../billing/invoicing.ts";
import { parseProposedChange, previewInvoice } from "../billing/preview.ts";
import { retrieve, route, type Route } from "../emulator.ts";
import { invalidRequest, missingParam } from "../errors.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import { subscriptionOf } from "./invoices.ts";
import { paymentMethodFor } from "./payment-methods.ts";

const STATUSES = ["draft", "open", "paid", "uncollectible", "void"] as const;

export const invoiceRoutes: Route[] = [
  route("POST", "/v1/invoices/create_preview", (ctx) => {
    const { emu, account, params } = ctx;
    params.allowOnly(["customer", "subscription", "subscription_details", "expand"]);
    // Since 2025-03-31.basil a preview names what it previews; the emulator previews subscriptions.
    const id = params.str("subscription");
    if (id === undefined) throw missingParam("subscription");
    const subscription = emu.store.find(account, "subscription", id, "subscription");
    const customer = params.str("customer");
    if (customer !== undefined && customer !== subscription.customer)
      throw invalidRequest(`The subscription ${subscription.id} does not belong to the customer ${customer}.`, { param: "subscription" });
    const details = params.obj("subscription_details");
    return previewInvoice(emu, account, subscription, details && parseProposedChange(ctx, subscription, details));
  }),
  route("GET", "/v1/invoices/:id", retrieve("invoice")),
  route("GET", "/v1/invoices", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "customer", "subscription", "status", "collection_method"]);
    const customer = params.str("customer");
    const subscription = params.str("subscription");
    const status = params.oneOf("status", STATUSES);
    const collection = params.oneOf("collection_method", ["charge_automatically", "send_invoice"] as const);
    const created = createdFilter(params);
    const invoices = emu.store
      .newestFirst(account, "invoice")
      .filter(
        (i) =>
          (customer === undefined || i.customer === customer) &&
          (subscription === undefined || subscriptionOf(i) === subscription) &&
          (status === undefined || i.status === status) &&
          (collection === undefined || i.collection_method === collection) &&
          created(i),
      );
    return paginate(invoices, params, "/v1/invoices");
  }),
  route("GET", "/v1/invoices/:id/lines", ({ emu, account, path, params }) => {
    params.allowOnly(["limit", "starting_after", "ending_before", "expand"]);
    const invoice = emu.store.find(account, "invoice", path.id!);
    return paginate(invoice.lines.data, params, `/v1/invoices/${invoice.id}/lines`);
  }),
  route("POST", "/v1/invoices/:id/pay", (ctx) => {
    const { emu, account, path, params, request } = ctx;
    params.allowOnly(["payment_method", "off_session", "expand"]);
    const invoice = emu.store.find(account, "invoice", path.id!);
    const customer = emu.store.find(account, "customer", invoice.customer, "customer");
    const pmId = params.str("payment_method");
    const paymentMethod = pmId === undefined ? undefined : paymentMethodFor(ctx, customer, pmId, "payment_method");
    return payInvoice(emu, account, invoice, { request, paymentMethod });
  }),
  route("GET", "/v1/invoice_payments/:id", retrieve("invoice_payment")),
  route("GET", "/v1/invoice_payments", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "invoice", "status"]);
    const invoice = params.str("invoice");
    const status = params.oneOf("status", ["canceled", "open", "paid"] as const);
    const payments = emu.store
      .newestFirst(account, "invoice_payment")
      .filter((p) => (invoice === undefined || p.invoice === invoice) && (status === undefined || p.status === status));
    return paginate(payments, params, "/v1/invoice_payments");
  }),
];
