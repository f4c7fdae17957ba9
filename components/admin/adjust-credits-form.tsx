"use client";

import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";
import { localToIso } from "@/components/admin/local-datetime";
import type { AdminAction } from "@/components/admin/types";

/** Grant (positive) or remove (negative) credits with a required reason; the ledger and the audit log record it. */
export function AdjustCreditsForm({ action }: { action: AdminAction }) {
  const form = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <form
      ref={form}
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        data.set("expiresAt", localToIso(data.get("expiresAt")));
        setError(null);
        setDone(null);
        startTransition(async () => {
          const result = await action(data);
          if (!result.ok) {
            setFields(result.fields ?? {});
            setError(result.message);
            return;
          }
          setFields({});
          setDone(result.message);
          form.current?.reset();
        });
      }}
    >
      {done ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2.5 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
          {done}
        </p>
      ) : null}
      {error ? <FormAlert>{error}</FormAlert> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <div>
          <Field
            id="adjust-credits"
            name="credits"
            label="Credits"
            inputMode="numeric"
            placeholder="500 or -200"
            required
            error={fields.credits}
          />
          <p className="mt-1.5 text-xs text-slate-500">Positive grants a bonus bucket; negative removes credits in spend order.</p>
        </div>
        <div>
          <Field
            id="adjust-expires"
            name="expiresAt"
            label="Expires (grants only, optional)"
            type="datetime-local"
            error={fields.expiresAt}
          />
          <p className="mt-1.5 text-xs text-slate-500">In your time zone. Empty: the credits never expire.</p>
        </div>
      </div>
      <div>
        <label htmlFor="adjust-reason" className="block text-sm font-medium text-slate-900">
          Reason
        </label>
        <textarea
          id="adjust-reason"
          name="reason"
          rows={2}
          required
          maxLength={500}
          aria-invalid={fields.reason ? true : undefined}
          aria-describedby={fields.reason ? "adjust-reason-error" : undefined}
          placeholder="e.g. Goodwill for the outage on Nov 3 (ticket #1234)"
          className={`mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-xs ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-inset sm:text-sm ${fields.reason ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600"}`}
        />
        {fields.reason ? (
          <p id="adjust-reason-error" className="mt-1.5 text-sm text-red-600">
            {fields.reason}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Apply adjustment"}
      </Button>
    </form>
  );
}
