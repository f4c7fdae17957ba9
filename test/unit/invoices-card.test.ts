import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { BillingOverview } from "@/lib/billing/stripe/billing-overview";
import { InvoicesCard } from "@/components/billing/invoices-card";

// The card as the server renders it (times in UTC until the browser swaps in the viewer's zone).
async function render(overview: BillingOverview): Promise<string> {
  const element = await InvoicesCard({ overview: Promise.resolve(overview) });
  return renderToStaticMarkup(element);
}
const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'");

const PAID = {
  id: "in_1",
  number: "ABCD1234-0001",
  issuedAt: "2031-03-15T12:00:00.000Z",
  amountPaidCents: 1544,
  amountDueCents: 1544,
  currency: "usd",
  status: "paid" as const,
  hostedUrl: "http://stripe.test/i/in_1",
  pdfUrl: "http://stripe.test/i/in_1/pdf",
};

describe("InvoicesCard", () => {
  it("shows the next charge as money on a date, the card, and each invoice with its status and documents", async () => {
    const html = await render({
      available: true,
      nextCharge: { kind: "charge", amountCents: 2900, currency: "usd", at: "2031-04-01T00:00:00.000Z" },
      card: { brand: "mastercard", last4: "4444", expMonth: 3, expYear: 2034 },
      invoices: [PAID, { ...PAID, id: "in_2", number: "ABCD1234-0002", amountPaidCents: 0, status: "uncollectible" }],
    });
    expect(text(html)).toContain("$29.00 on Apr 1, 2031, 00:00 UTC");
    expect(html).toContain('title="Apr 1, 2031, 00:00 UTC"');
    expect(text(html)).toContain("Mastercard ending in 4444 · expires 03/2034");
    expect(text(html)).toContain("Update card");
    expect(text(html)).toContain("$15.44");
    expect(text(html)).toContain("Paid");
    expect(text(html)).toContain("Uncollectible");
    expect(html).toContain('href="http://stripe.test/i/in_1" target="_blank" rel="noreferrer" aria-label="View ABCD1234-0001"');
    expect(html).toContain(
      'href="http://stripe.test/i/in_1/pdf" target="_blank" rel="noreferrer" aria-label="Download ABCD1234-0001 as PDF"',
    );
  });

  it("Free: no upcoming charge, no card, no invoices yet", async () => {
    const html = text(await render({ available: true, nextCharge: { kind: "none" }, card: null, invoices: [] }));
    expect(html).toContain("No upcoming charge");
    expect(html).toContain("No card on file");
    expect(html).toContain("No invoices yet");
    expect(html).not.toContain("Update card");
  });

  it("a subscription set to cancel: ends on its date, nothing more to pay", async () => {
    const html = text(
      await render({ available: true, nextCharge: { kind: "ends", at: "2031-04-01T00:00:00.000Z" }, card: null, invoices: [PAID] }),
    );
    expect(html).toContain("Ends on Apr 1, 2031, 00:00 UTC, nothing more to pay");
  });

  it("Stripe unreachable: says the details are unavailable", async () => {
    const html = text(await render({ available: false }));
    expect(html).toContain("Invoices and next charge");
    expect(html).toContain("Billing details are unavailable right now");
  });
});
