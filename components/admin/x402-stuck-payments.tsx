"use client";

import { useState, useTransition } from "react";
import { formatCredits } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { ScrollArea } from "@/components/ui/scroll-area";
import { LocalTime } from "@/components/billing/local-time";
import { X402PaymentWhat } from "@/components/admin/x402-payment-what";
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

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-6)}`;

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
      {rows.length === 0 ? (
        <p className="px-5 pb-5 text-sm text-slate-500 sm:px-6">Nothing is waiting: every settled payment is recorded.</p>
      ) : (
        <ScrollArea label="x402 payments settled but not recorded">
          <table className="w-full min-w-[64rem] text-sm">
            <caption className="sr-only">x402 payments that settled on chain but were not recorded, oldest first</caption>
            <thead>
              <tr className="border-b border-slate-200 bg-slate-50/60 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <th scope="col" className="py-2.5 pl-5 pr-3 font-medium sm:pl-6">
                  Paid
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  For
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Payer and transaction
                </th>
                <th scope="col" className="px-3 py-2.5 text-right font-medium">
                  Amount
                </th>
                <th scope="col" className="px-3 py-2.5 font-medium">
                  Recovery
                </th>
                <th scope="col" className="py-2.5 pl-3 pr-5 font-medium sm:pr-6">
                  Resolve
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {rows.map((p) => (
                <tr key={p.id}>
                  <td className="whitespace-nowrap py-3 pl-5 pr-3 text-slate-600 sm:pl-6">
                    <LocalTime iso={p.createdAt} />
                  </td>
                  <td className="px-3 py-3">
                    <X402PaymentWhat p={p} />
                  </td>
                  <td className="px-3 py-3 font-mono text-xs">
                    <span className="block" title={p.payer}>
                      {short(p.payer)}
                    </span>
                    <span className="block text-slate-500" title={p.transaction}>
                      {short(p.transaction)} · {p.network}
                    </span>
                  </td>
                  <td className="px-3 py-3 text-right tabular-nums">
                    ${p.amountUsdc}
                    <span className="block text-xs text-slate-500">
                      {formatCredits(p.credits)} {p.credits === 1 ? "credit" : "credits"}
                    </span>
                  </td>
                  <td className="max-w-[16rem] px-3 py-3 text-xs text-slate-600">
                    {p.purpose === "USAGE"
                      ? "Paid calls wait for an operator."
                      : `${formatCredits(p.recordAttempts)} failed ${p.recordAttempts === 1 ? "attempt" : "attempts"}; retried automatically`}
                    {p.recordError ? <span className="mt-1 block break-words text-red-700">{p.recordError}</span> : null}
                    {p.purpose === "CREDITS" && p.retryAt ? (
                      <span className="mt-1 block">
                        Next: <LocalTime iso={p.retryAt} />
                      </span>
                    ) : null}
                  </td>
                  <td className="py-3 pl-3 pr-5 sm:pr-6">
                    <ResolveForm
                      payment={p}
                      record={record}
                      refund={refund}
                      onResolved={(message) => setResolved((done) => [...done, `Payment ${short(p.transaction)}: ${message}`])}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
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
