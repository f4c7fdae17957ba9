// Subscription invoice lines, described as Stripe describes them: "1 × Pro (at $29.00 / month)",
// "Trial period for Pro", "Remaining time on Pro after 15 Nov 2026", "Unused time on Pro after …".
import type { Emulator } from "../emulator.ts";
import type { LineDraft } from "../resources/invoices.ts";
import { priceLabel, type Price } from "../resources/prices.ts";
import type { SubscriptionItem } from "../resources/subscriptions.ts";
import type { Account } from "../store.ts";

/** What a line bills: a subscription item's price and quantity. */
export type Billed = { subscriptionItem: string; price: Price; quantity: number };

type Period = { start: number; end: number };

export function billedOf(item: SubscriptionItem): Billed {
  return { subscriptionItem: item.id, price: item.price, quantity: item.quantity };
}

const DAY_MONTH_YEAR = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** The price's product name, as invoices and hosted pages show it. */
export function productName(emu: Emulator, account: Account, price: Price): string {
  return emu.store.get(account, "product", price.product)?.name ?? price.nickname ?? "Subscription";
}

function draft(
  billed: Billed,
  f: { amount: number; description: string; period: Period; proration: boolean; invoiceItem?: string },
): LineDraft {
  return { ...billed, ...f, invoiceItem: f.invoiceItem ?? null };
}

const quantified = (name: string, billed: Billed) => (billed.quantity === 1 ? name : `${billed.quantity} × ${name}`);

/** A full period at the price. */
export function periodLine(name: string, billed: Billed, period: Period): LineDraft {
  return draft(billed, {
    amount: (billed.price.unit_amount ?? 0) * billed.quantity,
    description: `${billed.quantity} × ${name} (at ${priceLabel(billed.price)})`,
    period,
    proration: false,
  });
}

export function trialLine(name: string, billed: Billed, period: Period): LineDraft {
  return draft(billed, { amount: 0, description: `Trial period for ${name}`, period, proration: false });
}

/** A proration charge for the rest of a period (positive `amount`). */
export function remainingTimeLine(name: string, billed: Billed, period: Period, amount: number, invoiceItem?: string): LineDraft {
  const description = `Remaining time on ${quantified(name, billed)} after ${DAY_MONTH_YEAR.format(period.start * 1000)}`;
  return draft(billed, { amount, description, period, proration: true, invoiceItem });
}

/** A proration credit for the unused rest of a period (`amount` ≥ 0 is credited). */
export function unusedTimeLine(name: string, billed: Billed, period: Period, amount: number, invoiceItem?: string): LineDraft {
  const description = `Unused time on ${quantified(name, billed)} after ${DAY_MONTH_YEAR.format(period.start * 1000)}`;
  return draft(billed, { amount: -amount, description, period, proration: true, invoiceItem });
}
