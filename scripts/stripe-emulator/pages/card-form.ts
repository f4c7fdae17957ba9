// The card form of the hosted pages (Checkout's payment form, the portal's "Update card"): fields,
// the checks Stripe's card element makes, and what a declined test card says.
import type { FormObject } from "../form.ts";
import type { CardDetails } from "../resources/charges.ts";
import { TEST_CARD, testCardOf, type DeclineCode, type TestCard } from "../resources/payment-methods.ts";
import { esc } from "./layout.ts";

export type CardForm = { email: string; number: string; expiry: string; cvc: string; name: string };

export function cardFormFrom(values: FormObject): CardForm {
  const get = (k: string) => (typeof values[k] === "string" ? (values[k] as string).trim() : "");
  return { email: get("email"), number: get("number"), expiry: get("expiry"), cvc: get("cvc"), name: get("name") };
}

/** The form prefilled with Stripe's 4242 test card. */
export function testCardForm(email: string, name: string): CardForm {
  return { email, number: "4242 4242 4242 4242", expiry: `${TEST_CARD.exp_month}/${TEST_CARD.exp_year % 100}`, cvc: "123", name };
}

function field(form: CardForm, id: keyof CardForm, label: string, attrs: string): string {
  return `<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${id}" value="${esc(form[id])}" ${attrs}></div>`;
}

export function emailField(form: CardForm): string {
  return field(form, "email", "Email", 'type="email" autocomplete="email" placeholder="you@example.com"');
}

/** Card number, expiry, CVC and cardholder name. */
export function cardFields(form: CardForm): string {
  return `${field(form, "number", "Card number", 'inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234"')}
    <div class="grid2">
      ${field(form, "expiry", "Expiry", 'inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY"')}
      ${field(form, "cvc", "CVC", 'inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"')}
    </div>
    ${field(form, "name", "Name on card", 'autocomplete="cc-name" placeholder="Full name"')}`;
}

/** Card checks as Stripe's card element does them; returns the test card or the message to show. */
export function readCard(form: CardForm, now: number): TestCard | string {
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
  if (year < today.getUTCFullYear() || (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1))
    return "Your card's expiration date is in the past.";
  if (!/^\d{3,4}$/.test(form.cvc)) return "Your card's security code is incomplete.";
  const brand = digits.startsWith("4") ? "visa" : /^5[1-5]/.test(digits) ? "mastercard" : /^3[47]/.test(digits) ? "amex" : "unknown";
  const card: CardDetails = { brand, last4: digits.slice(-4), exp_month: month, exp_year: year };
  return testCardOf(digits, card);
}

export const DECLINE_ALERTS: Record<DeclineCode, string> = {
  generic_decline: "Your card was declined. Try another card.",
  insufficient_funds: "Your card has insufficient funds. Try another card.",
  authentication_required: "Your card was declined because it needs authentication. Try another card.",
};

export const TEST_CARDS_HINT = `Test cards: <code>4242 4242 4242 4242</code> succeeds, <code>4000 0000 0000 0002</code> is declined, <code>4000 0000 0000 0341</code> is saved but its charges fail, <code>4000 0027 6000 3184</code> needs authentication on every payment (off-session charges fail).`;
