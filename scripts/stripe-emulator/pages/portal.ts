// The hosted Billing portal (GET and POST /p/session/:bps_id): the customer's plan with "Cancel plan" /
// "Renew plan" (cancel_at_period_end, exactly as subscriptions.update sets it, with its event), the card
// on file with "Update card" (a new default payment method; open invoices are paid with it at once),
// the invoices, and the payment history. Forms post back here and redirect with a notice.
import { updateSubscription } from "../billing/changes.ts";
import { collect } from "../billing/invoicing.ts";
import { productName } from "../billing/lines.ts";
import type { Emulator } from "../emulator.ts";
import { StripeHttpError } from "../errors.ts";
import type { FormObject } from "../form.ts";
import type { Reply } from "../http.ts";
import type { PortalSession } from "../resources/billing-portal.ts";
import type { Charge } from "../resources/charges.ts";
import { lineItemsOf } from "../resources/checkout-sessions.ts";
import { formatAmount } from "../resources/common.ts";
import type { Customer } from "../resources/customers.ts";
import { NO_REQUEST } from "../resources/events.ts";
import { subscriptionOf } from "../resources/invoices.ts";
import { defaultPaymentMethodOf, saveCard, setDefaultPaymentMethod, type DeclineCode } from "../resources/payment-methods.ts";
import { priceLabel } from "../resources/prices.ts";
import { currentPeriod, type Subscription } from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";
import { cardFields, cardFormFrom, DECLINE_ALERTS, readCard, TEST_CARDS_HINT, testCardForm, type CardForm } from "./card-form.ts";
import { invoiceStatusBadge } from "./invoice.ts";
import { alertBox, esc, formatDate, html, MERCHANT, merchantMark, seeOther, shell, statusBadge } from "./layout.ts";

const NOTICES: Record<string, string> = {
  canceled: "Your plan will be canceled at the end of the billing period.",
  renewed: "Your plan will renew.",
  card: "Your card has been updated.",
  "card-paid": "Your card has been updated and your open invoice is paid.",
  "card-failed": "Your card has been updated, but the open invoice could not be paid with it.",
};

const SUBSCRIPTION_STATUS: Record<string, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Past due",
  canceled: "Canceled",
  unpaid: "Unpaid",
  paused: "Paused",
  incomplete: "Incomplete",
};

type View = { portal: PortalSession; notice?: string; cardForm?: CardForm; cardAlert?: string };

const pagePath = (portal: PortalSession, notice?: string) => `/p/session/${portal.id}${notice ? `?notice=${notice}` : ""}`;

/** The plans to show: the customer's live subscriptions, or the last one that ended. */
function plansOf(emu: Emulator, account: Account, customer: string): Subscription[] {
  const subs = emu.store.newestFirst(account, "subscription").filter((s) => s.customer === customer);
  const live = subs.filter((s) => s.status !== "canceled");
  return live.length > 0 ? live : subs.slice(0, 1);
}

function planLine(sub: Subscription): string {
  const price = priceLabel(sub.items.data[0]!.price, sub.items.data[0]!.quantity);
  if (sub.status === "canceled") return `Ended on ${formatDate(sub.ended_at ?? sub.canceled_at ?? sub.created)}`;
  if (sub.cancel_at !== null) return `Cancels on ${formatDate(sub.cancel_at)}`;
  if (sub.status === "trialing" && sub.trial_end !== null) return `Trial ends on ${formatDate(sub.trial_end)}, then ${price}`;
  return `Renews on ${formatDate(currentPeriod(sub).end)}`;
}

function planCard(emu: Emulator, account: Account, sub: Subscription): string {
  const item = sub.items.data[0]!;
  const names = sub.items.data.map((i) => productName(emu, account, i.price)).join(", ");
  const open = emu.store.all(account, "invoice").find((i) => subscriptionOf(i) === sub.id && i.status === "open" && i.attempted);
  const pastDue = open
    ? alertBox(`Your last payment of ${formatAmount(open.amount_remaining, open.currency)} failed. Update your card to pay it.`)
    : "";
  const action = sub.cancel_at_period_end
    ? `<button class="primary" type="submit" name="action" value="renew">Renew plan</button>`
    : `<button class="secondary danger" type="submit" name="action" value="cancel">Cancel plan</button>`;
  const actions =
    sub.status === "canceled"
      ? ""
      : `<div class="actions"><form method="post"><input type="hidden" name="subscription" value="${esc(sub.id)}">${action}</form></div>`;
  return `<div class="card">
    <div class="plan">
      <div><div class="plan-name">${esc(names)}${statusBadge(sub.status, SUBSCRIPTION_STATUS[sub.status] ?? sub.status)}</div><div class="muted">${esc(planLine(sub))}</div></div>
      <div class="plan-price">${esc(priceLabel(item.price, item.quantity))}</div>
    </div>
    ${pastDue}
    ${actions}
  </div>`;
}

function paymentMethodCard(emu: Emulator, account: Account, customer: Customer, view: View): string {
  const pm = defaultPaymentMethodOf(account, emu, customer);
  const current = pm
    ? `<div><span class="brand">${esc(pm.card.brand)}</span>•••• ${esc(pm.card.last4)} <span class="muted">· Expires ${esc(String(pm.card.exp_month).padStart(2, "0"))}/${esc(pm.card.exp_year % 100)}</span></div>`
    : `<div class="muted">No card on file.</div>`;
  if (!view.cardForm)
    return `<div class="card pm">${current}<form method="get"><input type="hidden" name="update" value="card"><button class="secondary inline" type="submit">Update card</button></form></div>`;
  return `<div class="card">${current}
    <form method="post" class="card-form">
      ${alertBox(view.cardAlert)}
      ${cardFields(view.cardForm)}
      <div class="actions"><button class="primary" type="submit" name="action" value="card">Save card</button><a class="secondary inline" href="${esc(pagePath(view.portal))}">Cancel</a></div>
    </form>
    <p class="hint">${TEST_CARDS_HINT}</p>
  </div>`;
}

function invoiceRows(emu: Emulator, account: Account, customer: string): string {
  const invoices = emu.store.newestFirst(account, "invoice").filter((i) => i.customer === customer && i.status !== "draft");
  const rows = invoices.map(
    (i) =>
      `<li class="payment"><div><div class="item-name"><a href="${esc(i.hosted_invoice_url)}">${esc(i.number)}</a>${invoiceStatusBadge(i)}</div><div class="item-meta">${esc(formatDate(i.created))}</div></div><div class="amount">${esc(formatAmount(i.total, i.currency))}</div></li>`,
  );
  return rows.join("") || `<li class="empty">No invoices yet.</li>`;
}

/** A subscription payment is named by its invoice; a Checkout payment by what was bought. */
function chargeLabel(emu: Emulator, account: Account, charge: Charge): string {
  const payment = emu.store.all(account, "invoice_payment").find((p) => p.payment.payment_intent === charge.payment_intent);
  const invoice = payment && emu.store.get(account, "invoice", payment.invoice);
  if (invoice) return `Invoice ${invoice.number}`;
  if (charge.description) return charge.description;
  const session = emu.store.all(account, "checkout.session").find((s) => s.payment_intent === charge.payment_intent);
  const names = session
    ? lineItemsOf(account, session.id).map((i) => ((i.quantity ?? 1) > 1 ? `${i.description} × ${i.quantity}` : i.description))
    : [];
  return names.length > 0 ? names.join(", ") : "Payment";
}

function chargeStatus(charge: Charge): { css: string; text: string } {
  if (charge.refunded) return { css: "refunded", text: "Refunded" };
  if (charge.amount_refunded > 0) return { css: "partial", text: "Partially refunded" };
  if (charge.status === "pending") return { css: "pending", text: "Pending" };
  return { css: "paid", text: "Paid" };
}

function paymentRows(emu: Emulator, account: Account, customer: string): string {
  const charges = emu.store.newestFirst(account, "charge").filter((c) => c.customer === customer && c.status !== "failed");
  const rows = charges.map((c) => {
    const status = chargeStatus(c);
    const refundNote =
      c.amount_refunded > 0 && !c.refunded
        ? `<div class="item-meta">${esc(formatAmount(c.amount_refunded, c.currency))} refunded</div>`
        : "";
    return `<li class="payment"><div><div class="item-name">${esc(chargeLabel(emu, account, c))}${statusBadge(status.css, status.text)}</div><div class="item-meta">${esc(formatDate(c.created))}</div></div><div class="amount">${esc(formatAmount(c.amount, c.currency))}${refundNote}</div></li>`;
  });
  return rows.join("") || `<li class="empty">No payments yet.</li>`;
}

function section(id: string, title: string, body: string): string {
  return `<section class="section" aria-labelledby="${id}"><h2 id="${id}">${esc(title)}</h2>${body}</section>`;
}

function portalPage(emu: Emulator, account: Account, view: View): string {
  const { portal } = view;
  const customer = emu.store.find(account, "customer", portal.customer);
  const plans = plansOf(emu, account, customer.id);
  const hasBilling = plans.length > 0 || customer.invoice_settings.default_payment_method !== null;
  const name = customer.name ?? customer.email ?? portal.customer;
  const initial = (name.trim()[0] ?? "?").toUpperCase();
  const back = portal.return_url
    ? `<a href="${esc(portal.return_url)}"><span aria-hidden="true">← </span>Return to ${esc(MERCHANT)}</a>`
    : "";
  const notice = view.notice && NOTICES[view.notice] ? `<div class="notice" role="status">${esc(NOTICES[view.notice])}</div>` : "";
  return shell(
    `Billing portal — ${MERCHANT}`,
    `<main class="portal">
  <div class="portal-head">
    ${merchantMark()}
    ${back}
  </div>
  <h1>Billing portal</h1>
  <p class="muted" style="margin:0">Your plan and payments with ${esc(MERCHANT)}.</p>
  ${notice}
  <div class="section card customer">
    <div class="avatar" aria-hidden="true">${esc(initial)}</div>
    <div><div class="item-name">${esc(customer.name ?? "Customer")}</div><div class="muted">${esc(customer.email ?? "No email on file")}</div></div>
  </div>
  ${plans.length > 0 ? section("plan", "Current plan", plans.map((sub) => planCard(emu, account, sub)).join("")) : ""}
  ${hasBilling ? section("payment-method", "Payment method", paymentMethodCard(emu, account, customer, view)) : ""}
  ${hasBilling ? section("invoices", "Invoices", `<ul class="history">${invoiceRows(emu, account, customer.id)}</ul>`) : ""}
  ${section("history", "Payment history", `<ul class="history">${paymentRows(emu, account, customer.id)}</ul>`)}
  <p class="footer">Payments are processed by Stripe (simulated). ${back ? "" : "Close this tab to return."}</p>
</main>`,
  );
}

/** Cancel plan / Renew plan: cancel_at_period_end through the same update as the API. */
function changePlan(emu: Emulator, account: Account, portal: PortalSession, values: FormObject): Reply {
  const sub = typeof values.subscription === "string" ? emu.store.get(account, "subscription", values.subscription) : undefined;
  if (!sub || sub.customer !== portal.customer || sub.status === "canceled") return html(400, portalPage(emu, account, { portal }));
  const cancel = values.action === "cancel";
  updateSubscription({ emu, account, request: NO_REQUEST }, sub, { items: [], prorationBehavior: "none", cancelAtPeriodEnd: cancel });
  return seeOther(pagePath(portal, cancel ? "canceled" : "renewed"));
}

/** Update card: the new card becomes the default payment method and pays the open invoices. */
function updateCard(emu: Emulator, account: Account, portal: PortalSession, values: FormObject): Reply {
  const customer = emu.store.find(account, "customer", portal.customer);
  const form = cardFormFrom(values);
  const again = (cardAlert: string) => html(200, portalPage(emu, account, { portal, cardForm: form, cardAlert }));
  const card = readCard(form, account.clock.now());
  if (typeof card === "string") return again(card);
  const scope = { emu, account, request: NO_REQUEST };
  try {
    setDefaultPaymentMethod(
      scope,
      customer,
      saveCard(scope, card, { customer, email: customer.email, name: form.name || customer.name, setUp: true }),
    );
  } catch (e) {
    if (e instanceof StripeHttpError && e.error.decline_code) return again(DECLINE_ALERTS[e.error.decline_code as DeclineCode]);
    throw e;
  }
  const open = emu.store.all(account, "invoice").filter((i) => i.customer === customer.id && i.status === "open");
  const failed = open.filter((invoice) => collect(emu, account, invoice, {}) !== null);
  return seeOther(pagePath(portal, open.length === 0 ? "card" : failed.length === 0 ? "card-paid" : "card-failed"));
}

/** GET shows the portal (`?update=card` opens the card form); POST runs one of its forms. */
export function portal(emu: Emulator, account: Account, session: PortalSession, method: string, url: URL, values: FormObject): Reply {
  if (method === "POST") {
    const reply = values.action === "card" ? updateCard(emu, account, session, values) : changePlan(emu, account, session, values);
    emu.save();
    return reply;
  }
  const customer = emu.store.find(account, "customer", session.customer);
  const cardForm = url.searchParams.get("update") === "card" ? testCardForm("", customer.name ?? "") : undefined;
  return html(200, portalPage(emu, account, { portal: session, notice: url.searchParams.get("notice") ?? undefined, cardForm }));
}
