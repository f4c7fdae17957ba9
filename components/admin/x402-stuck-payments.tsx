"use client";

import { useState, useTransition } from "react";
import { formatCredits } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import { LocalTime } from "@/components/billing/local-time";
import { shortHex as short, UsdcAmount, X402PaymentWhat } from "@/components/admin/x402-payment-what";
import type { AdminActionResult } from "@/components/admin/types";

export type StuckPaymentRow = {
  id: string;
  createdAt: string;
  purpose: "CREDITS" | "USAGE";
  packId: string | null;
  actionKey: string | null;
  workspaceId: string | null;
  payer: string;
  transaction: string;
  network: string;
  amountUsdc: string;
  credits: number;
  recordAttempts: number;
  recordError: string | null;
  retryAt: string | null;
};

type Resolve = (paymentId: string, formData: FormData) => Promise<AdminActionResult>;

/**
 * x402 payments that settled on chain but were not recorded, each with one reason (or refund note) and
 * two outcomes: "Credit now" or "Mark refunded" (both audited, the reason required). A resolved payment
 * leaves the list when the page refreshes, so what happened is said above the table, not in its row.
 */
export function StuckPayments({ rows, record, refund }: { rows: StuckPaymentRow[]; record: Resolve; refund: Resolve }) {
  const [resolved, setResolved] = useState<string[]>([]);
  return (
    <>
      <div role="status" className="px-5 sm:px-6">
        {resolved.length > 0 ? (
          <ul className="mb-4 space-y-1 rounded-md bg-emerald-50 px-3 py-2.5 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
            {resolved.map((message, i) => (
              <li key={i}>{message}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <Table
        caption="x402 payments that settled on chain but were not recorded, oldest first"
        scroll={{ label: "x402 payments settled but not recorded", minWidth: "min-w-[64rem]" }}
        rows={rows}
        rowClassName="align-top"
        empty="Nothing is waiting: every settled payment is recorded."
        columns={[
          { header: "Paid", cellClassName: "whitespace-nowrap text-slate-600", cell: (p) => <LocalTime iso={p.createdAt} /> },
          { header: "For", cell: (p) => <X402PaymentWhat p={p} /> },
          {
            header: "Payer and transaction",
            cellClassName: "font-mono text-xs",
            cell: (p) => (
              <>
                <span className="block" title={p.payer}>
                  {short(p.payer)}
                </span>
                <span className="block text-slate-500" title={p.transaction}>
                  {short(p.transaction)} · {p.network}
                </span>
              </>
            ),
          },
          { header: "Amount", align: "right", cell: (p) => <UsdcAmount usdc={p.amountUsdc} credits={p.credits} /> },
          {
            header: "Recovery",
            cellClassName: "max-w-[16rem] text-xs text-slate-600",
            cell: (p) => (
              <>
                {p.purpose === "USAGE"
                  ? "Paid calls wait for an operator."
                  : `${formatCredits(p.recordAttempts)} failed ${p.recordAttempts === 1 ? "attempt" : "attempts"}; retried automatically`}
                {p.recordError ? <span className="mt-1 block break-words text-red-700">{p.recordError}</span> : null}
                {p.purpose === "CREDITS" && p.retryAt ? (
                  <span className="mt-1 block">
                    Next: <LocalTime iso={p.retryAt} />
                  </span>
                ) : null}
              </>
            ),
          },
          {
            header: "Resolve",
            cell: (p) => (
              <ResolveForm
                payment={p}
                record={record}
                refund={refund}
                onResolved={(message) => setResolved((done) => [...done, `Payment ${short(p.transaction)}: ${message}`])}
              />
            ),
          },
        ]}
      />
    </>
  );
}

function ResolveForm({
  payment,
  record,
  refund,
  onResolved,
}: {
  payment: StuckPaymentRow;
  record: Resolve;
  refund: Resolve;
  onResolved: (message: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const reasonId = `x402-reason-${payment.id}`;
  return (
    <form
      noValidate
      aria-label={`Resolve payment ${short(payment.transaction)}`}
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        const action = submitter?.value === "refund" ? refund : record;
        setError(null);
        startTransition(async () => {
          const r = await action(payment.id, data);
          if (r.ok) onResolved(r.message);
          else setError(r.message);
        });
      }}
    >
      <label htmlFor={reasonId} className="block text-xs font-medium text-slate-700">
        Reason or refund note
      </label>
      <textarea
        id={reasonId}
        name="reason"
        rows={2}
        required
        maxLength={500}
        placeholder="e.g. Ticket #19, or: returned 10 USDC in 0x…"
        className="block w-full min-w-[14rem] rounded-md border-0 px-2.5 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" name="outcome" value="record" disabled={pending}>
          Credit now
        </Button>
        <Button type="submit" name="outcome" value="refund" variant="secondary" disabled={pending}>
          Mark refunded
        </Button>
      </div>
      {error ? <FormAlert>{error}</FormAlert> : null}
    </form>
  );
}
