import type { BillingOverview, CardOnFile, NextCharge, PastInvoiceStatus } from "@/lib/billing/stripe/billing-overview";
import { Badge, type BadgeLook } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { LocalTime } from "@/components/billing/local-time";
import { ManageBillingButton } from "@/components/billing/manage-billing-button";
import { formatMoney } from "@/lib/format";

const TITLE = "Invoices and next charge";
const HEADING_ID = "invoices-heading";

const STATUS: Record<PastInvoiceStatus, BadgeLook> = {
  paid: { label: "Paid", tone: "success" },
  open: { label: "Open", tone: "warning" },
  void: { label: "Void", tone: "neutral" },
  uncollectible: { label: "Uncollectible", tone: "danger" },
};

const BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
};

/**
 * The owner's view of what Stripe bills: the next charge, the card on file and past invoices with their
 * hosted page and PDF. Rendered on the server from `overview` (streamed: the rest of the page does not
 * wait for Stripe).
 */
export async function InvoicesCard({ overview }: { overview: Promise<BillingOverview> }) {
  const data = await overview;
  if (!data.available) {
    return (
      <Card aria-labelledby={HEADING_ID}>
        <CardHeader id={HEADING_ID} title={TITLE} />
        <CardBody>
          <p role="status" className="text-sm text-slate-600">
            Billing details are unavailable right now. Try again in a few minutes.
          </p>
        </CardBody>
      </Card>
    );
  }
  return (
    <Card aria-labelledby={HEADING_ID}>
      <CardHeader id={HEADING_ID} title={TITLE} description="Read from Stripe, which charges your card." />
      <CardBody className="space-y-6">
        <dl className="grid gap-4 sm:grid-cols-2">
          <div>
            <dt className="text-sm font-medium text-slate-500">Next charge</dt>
            <dd className="mt-1 text-sm text-slate-900">
              <NextChargeText next={data.nextCharge} />
            </dd>
          </div>
          <div>
            <dt className="text-sm font-medium text-slate-500">Card on file</dt>
            <dd className="mt-1 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-900">
              <CardText card={data.card} />
              {data.card ? <ManageBillingButton label="Update card" /> : null}
            </dd>
          </div>
        </dl>
        <InvoiceTable invoices={data.invoices} />
      </CardBody>
    </Card>
  );
}

function NextChargeText({ next }: { next: NextCharge }) {
  if (next.kind === "none") return <>No upcoming charge</>;
  if (next.kind === "ends")
    return (
      <>
        Ends on <LocalTime iso={next.at} />, nothing more to pay
      </>
    );
  return (
    <>
      <span className="font-semibold tabular-nums">{formatMoney(next.amountCents)}</span> on <LocalTime iso={next.at} />
    </>
  );
}

function CardText({ card }: { card: CardOnFile | null }) {
  if (!card) return <span className="text-slate-600">No card on file</span>;
  const brand = BRANDS[card.brand] ?? card.brand;
  return (
    <span>
      {brand} ending in <span className="tabular-nums">{card.last4}</span>
      <span className="text-slate-500">
        {" "}
        · expires{" "}
        <span className="tabular-nums">
          {String(card.expMonth).padStart(2, "0")}/{card.expYear}
        </span>
      </span>
    </span>
  );
}

type Invoice = Extract<BillingOverview, { available: true }>["invoices"][number];

function InvoiceTable({ invoices }: { invoices: Invoice[] }) {
  return (
    <Table
      look="plain"
      inset={false}
      caption="Past invoices, newest first"
      rows={invoices}
      empty="No invoices yet"
      columns={[
        { header: "Date", cellClassName: "text-slate-700", cell: (invoice) => <LocalTime iso={invoice.issuedAt} /> },
        { header: "Number", rowHeader: true, cellClassName: "tabular-nums text-slate-800", cell: (invoice) => invoice.number ?? "—" },
        {
          header: "Amount paid",
          align: "right",
          cellClassName: "font-medium text-slate-900",
          cell: (invoice) => formatMoney(invoice.amountPaidCents),
        },
        {
          header: "Status",
          cell: (invoice) => <Badge tone={STATUS[invoice.status].tone}>{STATUS[invoice.status].label}</Badge>,
        },
        {
          header: <span className="sr-only">Documents</span>,
          className: "text-right",
          cellClassName: "whitespace-nowrap",
          cell: (invoice) => <InvoiceLinks invoice={invoice} />,
        },
      ]}
    />
  );
}

function InvoiceLinks({ invoice }: { invoice: Invoice }) {
  const name = invoice.number ?? "invoice";
  return (
    <>
      {invoice.hostedUrl ? (
        <a
          href={invoice.hostedUrl}
          target="_blank"
          rel="noreferrer"
          aria-label={`View ${name}`}
          className="font-medium text-indigo-700 hover:underline"
        >
          View
        </a>
      ) : null}
      {invoice.pdfUrl ? (
        <a
          href={invoice.pdfUrl}
          target="_blank"
          rel="noreferrer"
          aria-label={`Download ${name} as PDF`}
          className="ml-3 font-medium text-indigo-700 hover:underline"
        >
          PDF
        </a>
      ) : null}
    </>
  );
}

/** Shown while Stripe is read. */
export function InvoicesCardLoading() {
  return (
    <Card aria-labelledby={HEADING_ID} aria-busy="true">
      <CardHeader id={HEADING_ID} title={TITLE} />
      <CardBody>
        <p className="text-sm text-slate-500">Loading billing details…</p>
      </CardBody>
    </Card>
  );
}
