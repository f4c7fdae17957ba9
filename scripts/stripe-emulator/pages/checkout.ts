// The hosted Checkout page (GET and POST /c/pay/:cs_id): the order summary — a one-time payment, a plan
// with its trial or prorated first period, or (setup mode) a card saved for later payments — and the card
// form. Its buttons pay, or save the card, through flows.ts.
import { DEFAULT_SUBSCRIPTION_DATA, firstInvoicePlan } from "../billing/checkout-terms.ts";
import { productName } from "../billing/lines.ts";
import type { Emulator } from "../emulator.ts";
import { payCheckoutSession, sessionUnavailable, type PayInput } from "../flows.ts";
import type { FormObject } from "../form.ts";
import type { Reply } from "../http.ts";
import { lineItemsOf, type CheckoutSession } from "../resources/checkout-sessions.ts";
import { formatAmount } from "../resources/common.ts";
import { amountPerCycle } from "../resources/prices.ts";
import type { Account } from "../store.ts";
import {
  cardFields,
  cardFormFrom,
  DECLINE_ALERTS,
  emailField,
  readCard,
  TEST_CARDS_HINT,
  testCardForm,
  type CardForm,
} from "./card-form.ts";
import { alertBox, DATE, DAY_MONTH, esc, html, MERCHANT, merchantMark, messagePage, seeOther, shell } from "./layout.ts";

/** What the summary column shows (dueToday null: no totals), the form's title and what its button says. */
type Summary = {
  heading: string;
  headline: string;
  items: string;
  terms: string | null;
  dueToday: number | null;
  title: string;
  submit: string;
  bankTransfer: boolean;
};

function itemRow(name: string, meta: string, amount: string): string {
  return `<li class="item"><div><div class="item-name">${esc(name)}</div><div class="item-meta">${esc(meta)}</div></div><div>${esc(amount)}</div></li>`;
}

function paymentSummary(emu: Emulator, account: Account, session: CheckoutSession): Summary {
  const currency = session.currency ?? "usd";
  const items = lineItemsOf(account, session.id).map((item) => {
    const unit = item.price?.unit_amount ?? 0;
    const product = item.price ? emu.store.get(account, "product", item.price.product) : undefined;
    const quantity = (item.quantity ?? 1) > 1 ? `Qty ${item.quantity} · ${formatAmount(unit, currency)} each` : `Qty ${item.quantity ?? 1}`;
    return itemRow(
      item.description ?? "Item",
      product?.description ? `${product.description} · ${quantity}` : quantity,
      formatAmount(item.amount_total, currency),
    );
  });
  const total = session.amount_total ?? 0;
  return {
    heading: `Pay ${MERCHANT}`,
    headline: formatAmount(total, currency),
    items: items.join(""),
    terms: null,
    dueToday: total,
    title: "Pay with card",
    submit: `Pay ${formatAmount(total, currency)}`,
    bankTransfer: true,
  };
}

/** "Pro — $29.00 / month", and the first period's terms: a free trial, a prorated start, or a full period. */
function subscriptionSummary(emu: Emulator, account: Account, session: CheckoutSession): Summary {
  const currency = session.currency ?? "usd";
  const terms = account.checkout.get(session.id)?.subscriptionData ?? DEFAULT_SUBSCRIPTION_DATA;
  const lineItems = lineItemsOf(account, session.id);
  const plan = firstInvoicePlan(lineItems, terms, account.clock.now());
  const names = lineItems.map((item) => productName(emu, account, item.price!));
  const fullPeriod = lineItems.reduce((sum, item) => sum + (item.price?.unit_amount ?? 0) * (item.quantity ?? 1), 0);
  const perPeriod = amountPerCycle(fullPeriod, currency, plan.cycle);
  const items = lineItems.map((item, i) => {
    const recurring = amountPerCycle((item.price?.unit_amount ?? 0) * (item.quantity ?? 1), currency, plan.cycle);
    return itemRow(
      `${names[i]} — ${recurring}`,
      (item.quantity ?? 1) > 1 ? `Qty ${item.quantity}` : `Billed every ${plan.cycle.interval}`,
      formatAmount(plan.amounts[i]!, currency),
    );
  });
  const due = formatAmount(plan.total, currency);
  const trial = terms.trialPeriodDays;
  const termsLine =
    trial !== undefined
      ? `${trial}-day free trial, then ${perPeriod} from ${DATE.format(plan.period.end * 1000)}`
      : plan.period.prorated
        ? `Prorated today: ${due}, then ${formatAmount(fullPeriod, currency)} on ${DAY_MONTH.format(plan.period.end * 1000)}`
        : `${due} today, then ${perPeriod} from ${DATE.format(plan.period.end * 1000)}`;
  return {
    heading: `Subscribe to ${names.join(", ")}`,
    headline: trial !== undefined ? `${trial} days free` : due,
    items: items.join(""),
    terms: termsLine,
    dueToday: plan.total,
    title: "Pay with card",
    submit: trial !== undefined ? "Start trial" : "Subscribe",
    bankTransfer: false,
  };
}

/** Setup mode: nothing is charged now; the card is kept for the merchant's later (off-session) charges. */
function setupSummary(): Summary {
  return {
    heading: "Set up future payments",
    headline: "No charge today",
    items: "",
    terms: `By saving your card, you allow ${MERCHANT} to charge it for future payments in accordance with its terms.`,
    dueToday: null,
    title: "Save a card",
    submit: "Save card",
    bankTransfer: false,
  };
}

const SUMMARIES: Record<CheckoutSession["mode"], (emu: Emulator, account: Account, session: CheckoutSession) => Summary> = {
  payment: paymentSummary,
  subscription: subscriptionSummary,
  setup: setupSummary,
};

function totals(dueToday: number, currency: string): string {
  return `<div class="rows">
    <div class="row"><span class="muted">Subtotal</span><span>${esc(formatAmount(dueToday, currency))}</span></div>
    <div class="row total"><span>Total due today</span><span>${esc(formatAmount(dueToday, currency))}</span></div>
  </div>`;
}

function checkoutPage(session: CheckoutSession, summary: Summary, form: CardForm, alert?: string): string {
  const currency = session.currency ?? "usd";
  const back = session.cancel_url ? `<a class="back" href="${esc(session.cancel_url)}"><span aria-hidden="true">← </span>Back</a>` : "";
  const bank = summary.bankTransfer
    ? `<button class="secondary" type="submit" name="action" value="bank">Bank transfer (settles later)</button>`
    : "";
  const bankHint = summary.bankTransfer
    ? " “Bank transfer” completes the session unpaid; it settles through the emulator's control API."
    : "";
  return shell(
    summary.heading,
    `<div class="layout">
<section class="summary" aria-label="Order summary"><div class="summary-inner">
  ${merchantMark(back)}
  <p class="total-label">${esc(summary.heading)}</p>
  <p class="total-amount">${esc(summary.headline)}</p>
  <ul class="items">${summary.items}</ul>
  ${summary.terms ? `<p class="terms">${esc(summary.terms)}</p>` : ""}
  ${summary.dueToday === null ? "" : totals(summary.dueToday, currency)}
</div></section>
<main class="pay"><div class="pay-inner">
  <h1 class="pay-title">${esc(summary.title)}</h1>
  ${alertBox(alert)}
  <form method="post">
    ${emailField(form)}
    <h2>Card information</h2>
    ${cardFields(form)}
    <button class="primary" type="submit" name="action" value="pay">${esc(summary.submit)}</button>
    <button class="secondary danger" type="submit" name="action" value="decline">Decline</button>
    ${bank}
  </form>
  <p class="hint">${TEST_CARDS_HINT}${bankHint}</p>
</div></main>
</div>`,
  );
}

function unavailable(session: CheckoutSession): Reply {
  const why = session.status === "complete" ? "It has already been completed." : "It has expired.";
  const back = session.status === "complete" ? session.success_url?.replaceAll("{CHECKOUT_SESSION_ID}", session.id) : session.cancel_url;
  return messagePage(
    200,
    "This checkout session is no longer available",
    `${why} Return to ${MERCHANT} to start a new one.`,
    back ? { href: back, text: `Return to ${MERCHANT}` } : undefined,
  );
}

function completedPage(session: CheckoutSession): Reply {
  if (session.success_url) return seeOther(session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id));
  if (session.mode === "subscription") return messagePage(200, "Subscription started", `Thanks for subscribing to ${MERCHANT}.`);
  if (session.mode === "setup") return messagePage(200, "Card saved", `Your card is saved with ${MERCHANT} for future payments.`);
  const paid = session.payment_status === "paid";
  return messagePage(
    200,
    paid ? "Payment complete" : "Payment submitted",
    paid ? `Thanks for your payment to ${MERCHANT}.` : "Your bank transfer is on its way; it settles in a few days.",
  );
}

/** GET shows the page; POST pays (or declines, or starts a bank transfer) and redirects to success_url. */
export function checkout(emu: Emulator, account: Account, session: CheckoutSession, method: string, values: FormObject): Reply {
  if (sessionUnavailable(session)) return unavailable(session);
  const summary = SUMMARIES[session.mode](emu, account, session);
  const customer = session.customer ? emu.store.get(account, "customer", session.customer) : undefined;
  if (method === "GET")
    return html(200, checkoutPage(session, summary, testCardForm(session.customer_email ?? customer?.email ?? "", customer?.name ?? "")));

  const form = cardFormFrom(values);
  const rerender = (alert: string) => html(200, checkoutPage(session, summary, form, alert));
  const input: PayInput = { outcome: "succeeded", email: form.email || undefined, name: form.name || undefined };
  if (values.action === "decline") input.outcome = "declined";
  else if (values.action === "bank" && summary.bankTransfer) input.outcome = "async";
  else {
    const card = readCard(form, account.clock.now());
    if (typeof card === "string") return rerender(card);
    input.card = card;
  }
  if (input.outcome !== "declined" && !input.email && !customer?.email && !session.customer_email)
    return rerender("Enter your email address.");
  const { declineCode } = payCheckoutSession(emu, account, session, input);
  emu.save();
  if (declineCode) return rerender(DECLINE_ALERTS[declineCode]);
  return completedPage(session);
}
