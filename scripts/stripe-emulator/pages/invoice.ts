// The hosted invoice page (GET /i/:in_id, an invoice's hosted_invoice_url): what was billed, for
// which period, and whether it is paid.
import type { Invoice } from "../resources/invoices.ts";
import { formatAmount } from "../resources/common.ts";
import { esc, formatDate, MERCHANT, merchantMark, shell, statusBadge } from "./layout.ts";

/** Paid, Open, Past due (open after a failed payment), Void, … */
export function invoiceStatusBadge(invoice: Invoice): string {
  const status = invoice.status ?? "draft";
  if (status === "open" && invoice.attempted) return statusBadge("past_due", "Past due");
  return statusBadge(status, status[0]!.toUpperCase() + status.slice(1));
}

export function invoicePage(invoice: Invoice): string {
  const money = (amount: number) => esc(formatAmount(amount, invoice.currency));
  const status = invoice.status ?? "draft";
  const rows = invoice.lines.data
    .map(
      (line) =>
        `<tr><td>${esc(line.description)}<div class="item-meta">${esc(formatDate(line.period.start))} – ${esc(formatDate(line.period.end))}</div></td><td class="num">${money(line.amount)}</td></tr>`,
    )
    .join("");
  const facts = [
    ["Invoice number", invoice.number ?? "Draft"],
    ["Date", formatDate(invoice.status_transitions.finalized_at ?? invoice.created)],
    ...(invoice.status_transitions.paid_at ? [["Paid on", formatDate(invoice.status_transitions.paid_at)]] : []),
    ...(invoice.next_payment_attempt ? [["Next payment attempt", formatDate(invoice.next_payment_attempt)]] : []),
    ["Billed to", invoice.customer_email ?? invoice.customer_name ?? invoice.customer],
  ];
  return shell(
    `Invoice ${invoice.number ?? ""} — ${MERCHANT}`,
    `<main class="portal">
  <div class="portal-head">${merchantMark()}</div>
  <div class="card">
    <h1>${money(status === "paid" ? invoice.amount_paid : invoice.amount_remaining)} ${status === "paid" ? "paid" : "due"}${invoiceStatusBadge(invoice)}</h1>
    <dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>
    <table class="lines">
      <thead><tr><th scope="col">Description</th><th scope="col" class="num">Amount</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><td>Total</td><td class="num">${money(invoice.total)}</td></tr>
      ${invoice.starting_balance !== 0 ? `<tr><td>Applied balance</td><td class="num">${money(invoice.amount_due - invoice.total)}</td></tr><tr><td>Amount due</td><td class="num">${money(invoice.amount_due)}</td></tr>` : ""}</tfoot>
    </table>
  </div>
  <p class="footer">Questions about this invoice? Contact ${esc(MERCHANT)}.</p>
</main>`,
  );
}
