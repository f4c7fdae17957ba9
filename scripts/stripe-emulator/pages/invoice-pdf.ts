// An invoice's PDF (GET /i/:in_id/pdf, its invoice_pdf): a one-page PDF 1.4 document with the same
// facts as the hosted page, in Helvetica. Written by hand (a few text lines need no PDF library); the
// cross-reference table holds each object's byte offset, so the text must stay ASCII.
import type { Invoice } from "../resources/invoices.ts";
import { formatAmount } from "../resources/common.ts";
import { formatDate, MERCHANT } from "./layout.ts";

/** PDF string literal: ASCII only (anything else becomes "?"), with \, ( and ) escaped. */
function pdfText(value: string): string {
  return value
    .replace(/[–—]/g, "-")
    .replace(/×/g, "x")
    .replace(/[^\x20-\x7e]/g, "?")
    .replace(/[\\()]/g, (c) => `\\${c}`);
}

export function invoiceLines(invoice: Invoice): string[] {
  const money = (amount: number) => formatAmount(amount, invoice.currency);
  const status = invoice.status ?? "draft";
  return [
    `${MERCHANT} - Invoice ${invoice.number ?? "(draft)"}`,
    `Status: ${status}`,
    `Date: ${formatDate(invoice.status_transitions.finalized_at ?? invoice.created)}`,
    `Billed to: ${invoice.customer_email ?? invoice.customer_name ?? invoice.customer}`,
    "",
    ...invoice.lines.data.map((line) => `${line.description ?? ""}  ${money(line.amount)}`),
    "",
    `Total: ${money(invoice.total)}`,
    `Amount due: ${money(invoice.amount_due)}`,
    `Amount paid: ${money(invoice.amount_paid)}`,
  ];
}

export function invoicePdf(invoice: Invoice): string {
  const content = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td", ...invoiceLines(invoice).map((line) => `(${pdfText(line)}) '`), "ET"].join(
    "\n",
  );
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return pdf;
}
