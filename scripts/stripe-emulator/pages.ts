// Hosted pages: Checkout (/c/pay/:cs_id) and the Billing portal (/p/session/:bps_id). Plain
// server-rendered HTML with inline CSS and no external assets; forms post back to the same URL.
import type http from "node:http";
import type { Emulator } from "./emulator.ts";
import { StripeHttpError } from "./errors.ts";
import { declineCodeOf, payCheckoutSession, sessionUnavailable, TEST_CARD, type DeclineCode, type PayInput } from "./flows.ts";
import { parseForm, type FormObject } from "./form.ts";
import { readBody, type Reply } from "./http.ts";
import type { CardDetails, Charge } from "./resources/charges.ts";
import { expireDueSessions, lineItemsOf, type CheckoutSession } from "./resources/checkout-sessions.ts";
import { formatAmount } from "./resources/common.ts";
import type { PortalSession } from "./resources/billing-portal.ts";
import type { Account } from "./store.ts";

const MERCHANT = "Creditbook";
const TEST_MODE_NOTE = "Test mode — simulated by Creditbook's Stripe emulator";

function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers }, body };
}

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1f36;background:#fff}
a{color:#635bff;text-decoration:none}a:hover{text-decoration:underline}
.testbar{background:#fff4e5;color:#8a4b00;border-bottom:1px solid #f5d9a8;font-size:13px;text-align:center;padding:6px 12px}
.testbar strong{font-weight:600}
.badge{display:inline-block;font-size:11px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;border-radius:4px;padding:1px 6px;background:#ffde92;color:#8a4b00}
.pay-title{margin-bottom:20px}
.layout{display:grid;grid-template-columns:1fr 1fr;min-height:calc(100vh - 33px)}
.summary{background:#f6f9fc;border-right:1px solid #e3e8ee;padding:56px 48px 48px;display:flex;justify-content:flex-end}
.summary-inner,.pay-inner{width:100%;max-width:400px}
.pay{padding:56px 48px 48px}
.merchant{display:flex;align-items:center;gap:10px;margin-bottom:28px;font-weight:600}
.merchant .back{color:#697386;font-weight:500;margin-right:4px}
.logo{width:28px;height:28px;border-radius:50%;background:#635bff;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-size:14px;font-weight:700}
.muted{color:#697386}
.total-label{color:#697386;font-weight:500;margin:0}
.total-amount{font-size:36px;font-weight:600;letter-spacing:-.02em;margin:2px 0 28px}
.items{list-style:none;margin:0;padding:0}
.item{display:flex;justify-content:space-between;gap:16px;padding:12px 0}
.item-name{font-weight:500}
.item-meta{color:#697386;font-size:13px}
.rows{border-top:1px solid #e3e8ee;margin-top:8px;padding-top:12px}
.row{display:flex;justify-content:space-between;padding:4px 0}
.row.total{font-weight:600;border-top:1px solid #e3e8ee;margin-top:8px;padding-top:12px}
h1{font-size:22px;font-weight:600;margin:0 0 4px}
h2{font-size:16px;font-weight:600;margin:24px 0 10px}
label{display:block;font-size:13px;font-weight:500;color:#3c4257;margin:0 0 6px}
.field{margin-bottom:14px}
input{width:100%;font:inherit;color:#1a1f36;padding:10px 12px;border:1px solid #d5dbe1;border-radius:6px;background:#fff;box-shadow:0 1px 1px rgba(0,0,0,.03)}
input:focus{outline:none;border-color:#635bff;box-shadow:0 0 0 3px rgba(99,91,255,.2)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}
button{font:inherit;cursor:pointer;border-radius:6px;width:100%;padding:12px 16px;font-weight:600}
.primary{background:#635bff;color:#fff;border:0;margin-top:10px;font-size:16px;box-shadow:0 1px 2px rgba(0,0,0,.12)}
.primary:hover{background:#5249e0}
.secondary{background:#fff;color:#3c4257;border:1px solid #d5dbe1;margin-top:10px}
.secondary:hover{background:#f6f9fc}
.danger{color:#c0123c}
.alert{border-radius:6px;padding:10px 12px;margin:0 0 16px;background:#fff0f1;border:1px solid #f7c6cd;color:#a11438;font-weight:500}
.hint{font-size:13px;color:#697386;margin-top:18px;line-height:1.6}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f4f8;border-radius:4px;padding:1px 5px}
.center{max-width:480px;margin:72px auto;padding:0 24px;text-align:center}
.card{border:1px solid #e3e8ee;border-radius:10px;padding:24px;background:#fff;box-shadow:0 2px 6px rgba(0,0,0,.04)}
.portal{max-width:760px;margin:0 auto;padding:32px 24px 56px}
.portal-head{display:flex;justify-content:space-between;align-items:center;gap:16px;margin-bottom:28px}
.section{margin-top:28px}
.customer{display:flex;gap:14px;align-items:center}
.avatar{width:44px;height:44px;border-radius:50%;background:#e8e6ff;color:#4b44c6;display:flex;align-items:center;justify-content:center;font-weight:600;flex:none}
.history{list-style:none;margin:0;padding:0;border:1px solid #e3e8ee;border-radius:10px;overflow:hidden}
.payment{display:flex;justify-content:space-between;align-items:center;gap:16px;padding:14px 18px;border-top:1px solid #e3e8ee}
.payment:first-child{border-top:0}
.payment .amount{font-weight:600;text-align:right;white-space:nowrap}
.status{display:inline-block;font-size:12px;font-weight:600;border-radius:10px;padding:1px 8px;margin-left:8px;vertical-align:1px}
.status.paid{background:#d7f7c2;color:#05690d}.status.refunded{background:#e3e8ee;color:#3c4257}
.status.partial{background:#fcedb9;color:#8a4b00}.status.pending{background:#e0e7ff;color:#3730a3}
.empty{padding:18px;color:#697386;text-align:center}
.footer{margin-top:36px;color:#697386;font-size:13px}
@media (max-width:820px){
  .layout{grid-template-columns:1fr;min-height:0}
  .summary{border-right:0;border-bottom:1px solid #e3e8ee;padding:24px 20px;justify-content:center}
  .pay{padding:24px 20px 40px}
  .summary-inner,.pay-inner{max-width:480px;margin:0 auto}
  .merchant{margin-bottom:18px}
  .total-amount{font-size:30px;margin-bottom:16px}
  .portal{padding:24px 16px 40px}
  .portal-head{flex-direction:column;align-items:flex-start;gap:8px}
  .payment{padding:12px 14px}
}
`;

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<div class="testbar" role="note">${esc(TEST_MODE_NOTE)}</div>
${body}
</body>
</html>`;
}

function messagePage(status: number, title: string, message: string, link?: { href: string; text: string }): Reply {
  const action = link ? `<p><a href="${esc(link.href)}">${esc(link.text)}</a></p>` : "";
  return html(status, shell(title, `<main class="center"><div class="card"><h1>${esc(title)}</h1><p class="muted">${esc(message)}</p>${action}</div></main>`));
}

// ---- Checkout ---------------------------------------------------------------------------------

type CardForm = { email: string; number: string; expiry: string; cvc: string; name: string };

function checkoutPage(emu: Emulator, account: Account, session: CheckoutSession, form: CardForm, alert?: string): string {
  const currency = session.currency ?? "usd";
  const total = formatAmount(session.amount_total ?? 0, currency);
  const items = lineItemsOf(account, session.id)
    .map((item) => {
      const unit = item.price?.unit_amount ?? 0;
      const product = item.price ? emu.store.get(account, "product", item.price.product) : undefined;
      const quantity = (item.quantity ?? 1) > 1 ? `Qty ${item.quantity} · ${formatAmount(unit, currency)} each` : `Qty ${item.quantity ?? 1}`;
      const meta = product?.description ? `${product.description} · ${quantity}` : quantity;
      return `<li class="item"><div><div class="item-name">${esc(item.description)}</div><div class="item-meta">${esc(meta)}</div></div><div>${esc(formatAmount(item.amount_total, currency))}</div></li>`;
    })
    .join("");
  const back = session.cancel_url ? `<a class="back" href="${esc(session.cancel_url)}"><span aria-hidden="true">← </span>Back</a>` : "";
  const field = (id: keyof CardForm, label: string, attrs: string) =>
    `<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${id}" value="${esc(form[id])}" ${attrs}></div>`;
  return shell(
    `Pay ${MERCHANT}`,
    `<div class="layout">
<section class="summary" aria-label="Order summary"><div class="summary-inner">
  <div class="merchant">${back}<span class="logo" aria-hidden="true">C</span><span>${esc(MERCHANT)}</span><span class="badge">Test mode</span></div>
  <p class="total-label">Pay ${esc(MERCHANT)}</p>
  <p class="total-amount">${esc(total)}</p>
  <ul class="items">${items}</ul>
  <div class="rows">
    <div class="row"><span class="muted">Subtotal</span><span>${esc(formatAmount(session.amount_subtotal ?? 0, currency))}</span></div>
    <div class="row total"><span>Total due</span><span>${esc(total)}</span></div>
  </div>
</div></section>
<main class="pay"><div class="pay-inner">
  <h1 class="pay-title">Pay with card</h1>
  ${alert ? `<div class="alert" role="alert">${esc(alert)}</div>` : ""}
  <form method="post">
    ${field("email", "Email", 'type="email" autocomplete="email" placeholder="you@example.com"')}
    <h2>Card information</h2>
    ${field("number", "Card number", 'inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234"')}
    <div class="grid2">
      ${field("expiry", "Expiry", 'inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY"')}
      ${field("cvc", "CVC", 'inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"')}
    </div>
    ${field("name", "Name on card", 'autocomplete="cc-name" placeholder="Full name"')}
    <button class="primary" type="submit" name="action" value="pay">Pay ${esc(total)}</button>
    <button class="secondary danger" type="submit" name="action" value="decline">Decline</button>
    <button class="secondary" type="submit" name="action" value="bank">Bank transfer (settles later)</button>
  </form>
  <p class="hint">Test cards: <code>4242 4242 4242 4242</code> succeeds, <code>4000 0000 0000 0002</code> is declined. “Bank transfer” completes the session unpaid; it settles through the emulator's control API.</p>
</div></main>
</div>`,
  );
}

function defaultForm(emu: Emulator, account: Account, session: CheckoutSession): CardForm {
  const customer = session.customer ? emu.store.get(account, "customer", session.customer) : undefined;
  return {
    email: session.customer_email ?? customer?.email ?? "",
    number: "4242 4242 4242 4242",
    expiry: `${TEST_CARD.exp_month}/${TEST_CARD.exp_year % 100}`,
    cvc: "123",
    name: customer?.name ?? "",
  };
}

function formFrom(values: FormObject): CardForm {
  const get = (k: string) => (typeof values[k] === "string" ? (values[k] as string).trim() : "");
  return { email: get("email"), number: get("number"), expiry: get("expiry"), cvc: get("cvc"), name: get("name") };
}

/** Card checks as Stripe's card element does them; returns the card or the message to show. */
function readCard(form: CardForm, now: number): CardDetails | string {
  const digits = form.number.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(digits)) return "Your card number is incomplete.";
  const luhn = [...digits].reverse().reduce((sum, d, i) => {
    const n = Number(d) * (i % 2 ? 2 : 1);
    return sum + (n > 9 ? n - 9 : n);
  }, 0);
  if (luhn % 10 !== 0) return "Your card number is invalid.";
  const expiry = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(form.expiry);
  const month = Number(expiry?.[1]);
  if (!expiry || month < 1 || month > 12) return "Your card's expiration date is incomplete.";
  const year = expiry[2]!.length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2]);
  const today = new Date(now * 1000);
  if (year < today.getUTCFullYear() || (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1)) return "Your card's expiration date is in the past.";
  if (!/^\d{3,4}$/.test(form.cvc)) return "Your card's security code is incomplete.";
  const brand = digits.startsWith("4") ? "visa" : /^5[1-5]/.test(digits) ? "mastercard" : /^3[47]/.test(digits) ? "amex" : "unknown";
  return { brand, last4: digits.slice(-4), exp_month: month, exp_year: year };
}

const DECLINE_ALERTS: Record<DeclineCode, string> = {
  generic_decline: "Your card was declined. Try another card.",
  insufficient_funds: "Your card has insufficient funds. Try another card.",
};

function unavailable(session: CheckoutSession): Reply {
  const why = session.status === "complete" ? "It has already been completed." : "It has expired.";
  const back = session.status === "complete" ? session.success_url?.replaceAll("{CHECKOUT_SESSION_ID}", session.id) : session.cancel_url;
  return messagePage(200, "This checkout session is no longer available", `${why} Return to ${MERCHANT} to start a new one.`, back ? { href: back, text: `Return to ${MERCHANT}` } : undefined);
}

function completedPage(session: CheckoutSession): Reply {
  if (session.success_url) return { status: 303, headers: { location: session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id) }, body: "" };
  const paid = session.payment_status === "paid";
  return messagePage(200, paid ? "Payment complete" : "Payment submitted", paid ? `Thanks for your payment to ${MERCHANT}.` : "Your bank transfer is on its way; it settles in a few days.");
}

function checkout(emu: Emulator, account: Account, session: CheckoutSession, method: string, values: FormObject): Reply {
  if (sessionUnavailable(session)) return unavailable(session);
  if (session.mode !== "payment")
    return messagePage(200, "Not supported yet", `The Stripe emulator completes one-time payments only; this session is in ${session.mode} mode.`);
  if (method === "GET") return html(200, checkoutPage(emu, account, session, defaultForm(emu, account, session)));

  const form = formFrom(values);
  const action = values.action;
  const rerender = (alert: string) => html(200, checkoutPage(emu, account, session, form, alert));
  const input: PayInput = { outcome: "succeeded", email: form.email || undefined, name: form.name || undefined };
  if (action === "decline") input.outcome = "declined";
  else if (action === "bank") input.outcome = "async";
  else {
    const card = readCard(form, emu.clock.now());
    if (typeof card === "string") return rerender(card);
    input.card = card;
    const declineCode = declineCodeOf(form.number);
    if (declineCode) {
      input.outcome = "declined";
      input.declineCode = declineCode;
    }
  }
  const customer = session.customer ? emu.store.get(account, "customer", session.customer) : undefined;
  if (input.outcome !== "declined" && !input.email && !customer?.email && !session.customer_email) return rerender("Enter your email address.");
  payCheckoutSession(emu, account, session, input);
  emu.save();
  if (input.outcome === "declined") return rerender(DECLINE_ALERTS[input.declineCode ?? "generic_decline"]);
  return completedPage(session);
}

// ---- Billing portal ---------------------------------------------------------------------------

function chargeLabel(account: Account, emu: Emulator, charge: Charge): string {
  if (charge.description) return charge.description;
  const session = emu.store.all(account, "checkout.session").find((s) => s.payment_intent === charge.payment_intent);
  const names = session ? lineItemsOf(account, session.id).map((i) => ((i.quantity ?? 1) > 1 ? `${i.description} × ${i.quantity}` : i.description)) : [];
  return names.length > 0 ? names.join(", ") : "Payment";
}

function chargeStatus(charge: Charge): { css: string; text: string } {
  if (charge.refunded) return { css: "refunded", text: "Refunded" };
  if (charge.amount_refunded > 0) return { css: "partial", text: "Partially refunded" };
  if (charge.status === "pending") return { css: "pending", text: "Pending" };
  return { css: "paid", text: "Paid" };
}

const DATE = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

function portalPage(emu: Emulator, account: Account, portal: PortalSession): string {
  const customer = emu.store.get(account, "customer", portal.customer);
  const charges = emu.store.newestFirst(account, "charge").filter((c) => c.customer === portal.customer && c.status !== "failed");
  const rows = charges
    .map((c) => {
      const status = chargeStatus(c);
      const refundNote = c.amount_refunded > 0 && !c.refunded ? `<div class="item-meta">${esc(formatAmount(c.amount_refunded, c.currency))} refunded</div>` : "";
      return `<li class="payment"><div><div class="item-name">${esc(chargeLabel(account, emu, c))}<span class="status ${status.css}">${status.text}</span></div><div class="item-meta">${esc(DATE.format(new Date(c.created * 1000)))}</div></div><div class="amount">${esc(formatAmount(c.amount, c.currency))}${refundNote}</div></li>`;
    })
    .join("");
  const name = customer?.name ?? customer?.email ?? portal.customer;
  const initial = (name.trim()[0] ?? "?").toUpperCase();
  const back = portal.return_url ? `<a href="${esc(portal.return_url)}"><span aria-hidden="true">← </span>Return to ${esc(MERCHANT)}</a>` : "";
  return shell(
    `Billing portal — ${MERCHANT}`,
    `<main class="portal">
  <div class="portal-head">
    <div class="merchant" style="margin:0"><span class="logo" aria-hidden="true">C</span><span>${esc(MERCHANT)}</span><span class="badge">Test mode</span></div>
    ${back}
  </div>
  <h1>Billing portal</h1>
  <p class="muted" style="margin:0">Your payments to ${esc(MERCHANT)}.</p>
  <div class="section card customer">
    <div class="avatar" aria-hidden="true">${esc(initial)}</div>
    <div><div class="item-name">${esc(customer?.name ?? "Customer")}</div><div class="muted">${esc(customer?.email ?? "No email on file")}</div></div>
  </div>
  <section class="section" aria-labelledby="history">
    <h2 id="history">Payment history</h2>
    <ul class="history">${rows || `<li class="empty">No payments yet.</li>`}</ul>
  </section>
  <p class="footer">Payments are processed by Stripe (simulated). ${back ? "" : "Close this tab to return."}</p>
</main>`,
  );
}

// ---- Routing ----------------------------------------------------------------------------------

function indexPage(): Reply {
  return messagePage(200, "Stripe emulator", "The Stripe API is under /v1 (use the stripe SDK with host, port and protocol \"http\"); hosted pages are under /c/pay and /p/session.");
}

/** Hosted pages; null when the path is not one of them. */
export async function handlePage(emu: Emulator, req: http.IncomingMessage, url: URL): Promise<Reply | null> {
  const method = req.method ?? "GET";
  const pay = /^\/c\/pay\/([^/]+)\/?$/.exec(url.pathname);
  const portal = /^\/p\/session\/([^/]+)\/?$/.exec(url.pathname);
  if (url.pathname === "/" && method === "GET") return indexPage();
  if (!pay && !portal) return null;
  if (method !== "GET" && !(pay && method === "POST")) return messagePage(405, "Method not allowed", `${method} is not supported here.`);

  const id = decodeURIComponent((pay ?? portal)![1]!);
  const account = emu.store.ownerOf(id);
  if (!account) return messagePage(404, "Page not found", pay ? "This checkout session does not exist." : "This billing portal session does not exist.");
  expireDueSessions(emu, account);
  if (pay) {
    const session = emu.store.get(account, "checkout.session", id);
    if (!session) return messagePage(404, "Page not found", "This checkout session does not exist.");
    const values = method === "POST" ? parseForm(await readBody(req)) : {};
    try {
      return checkout(emu, account, session, method, values);
    } catch (e) {
      if (e instanceof StripeHttpError) return messagePage(e.status, "Something went wrong", e.message);
      throw e;
    }
  }
  const session = emu.store.get(account, "billing_portal.session", id);
  if (!session) return messagePage(404, "Page not found", "This billing portal session does not exist.");
  return html(200, portalPage(emu, account, session));
}
