"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import type { AdminAction } from "@/components/admin/types";

/**
 * For an x402 payment that settled but was not recorded: one reason (or refund note) and two outcomes,
 * "Credit now" or "Mark refunded". Both are audited; the reason is required.
 */
export function StuckPaymentForm({ paymentId, label, record, refund }: { paymentId: string; label: string; record: AdminAction; refund: AdminAction }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const reasonId = `x402-reason-${paymentId}`;
  return (
    <form
      noValidate
      aria-label={`Resolve ${label}`}
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        const action = submitter?.value === "refund" ? refund : record;
        setError(null);
        setDone(null);
        startTransition(async () => {
          const r = await action(data);
          if (r.ok) setDone(r.message);
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
      {done ? (
        <p role="status" className="text-xs text-emerald-700">
          {done}
        </p>
      ) : null}
      {error ? <FormAlert>{error}</FormAlert> : null}
    </form>
  );
}
