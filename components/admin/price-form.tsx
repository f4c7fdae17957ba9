"use client";

import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";
import { localToIso } from "@/components/admin/local-datetime";
import type { AdminAction } from "@/components/admin/types";

type Policy = "REJECT" | "RATE_LIMIT" | "QUEUE";
export type PriceFormValues = { credits: number; reserveCredits: number | null; policy: Policy; provider: string | null; sync: boolean };

const inputClass =
  "mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-xs ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-inset sm:text-sm";

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1.5 text-sm text-red-600">
      {error}
    </p>
  ) : null;
}

/** The next version of one action's price: the terms, when it takes effect, and why. */
export function PriceForm({
  action,
  actionKey,
  initial,
  nextVersion,
  policies,
}: {
  action: AdminAction;
  actionKey: string;
  initial: PriceFormValues;
  nextVersion: number;
  policies: { value: Policy; label: string }[];
}) {
  const form = useRef<HTMLFormElement>(null);
  const [later, setLater] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const ring = (field: string) => (fields[field] ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-indigo-600");
  const described = (field: string) => (fields[field] ? { "aria-invalid": true as const, "aria-describedby": `price-${field}-error` } : {});

  return (
    <form
      ref={form}
      noValidate
      aria-label={`New price for ${actionKey}`}
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        data.set("effectiveFrom", later ? localToIso(data.get("effectiveFrom")) : "");
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
          const reason = form.current?.elements.namedItem("reason");
          if (reason instanceof HTMLTextAreaElement) reason.value = "";
          setLater(false);
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
        <Field
          id="price-credits"
          name="credits"
          label="Credits per action"
          inputMode="numeric"
          defaultValue={initial.credits}
          required
          error={fields.credits}
        />
        <Field
          id="price-reserveCredits"
          name="reserveCredits"
          label="Reserve (hold), optional"
          inputMode="numeric"
          defaultValue={initial.reserveCredits ?? ""}
          placeholder="same as the price"
          error={fields.reserveCredits}
        />
      </div>
      <div>
        <label htmlFor="price-policy" className="block text-sm font-medium text-slate-900">
          When a workspace is out of credits
        </label>
        <select
          id="price-policy"
          name="policy"
          defaultValue={initial.policy}
          className={`${inputClass} ${ring("policy")}`}
          {...described("policy")}
        >
          {policies.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
        <ErrorText id="price-policy-error" error={fields.policy} />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 sm:items-end">
        <Field
          id="price-provider"
          name="provider"
          label="Provider, optional"
          defaultValue={initial.provider ?? ""}
          placeholder="e.g. fal.ai"
          error={fields.provider}
        />
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-900">
          <input type="checkbox" name="sync" defaultChecked={initial.sync} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
          Synchronous (answered in the same call)
        </label>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">Takes effect</legend>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-900">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="when"
              value="now"
              checked={!later}
              onChange={() => setLater(false)}
              className="h-4 w-4 text-indigo-600"
            />
            Immediately
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="when"
              value="later"
              checked={later}
              onChange={() => setLater(true)}
              className="h-4 w-4 text-indigo-600"
            />
            At a later time
          </label>
        </div>
        {later ? (
          <div className="mt-3">
            <Field
              id="price-effectiveFrom"
              name="effectiveFrom"
              label="Effective from (your time zone)"
              type="datetime-local"
              required
              error={fields.effectiveFrom}
            />
          </div>
        ) : null}
      </fieldset>
      <div>
        <label htmlFor="price-reason" className="block text-sm font-medium text-slate-900">
          Reason
        </label>
        <textarea
          id="price-reason"
          name="reason"
          rows={2}
          required
          maxLength={500}
          placeholder="e.g. Provider raised its price on Dec 1"
          className={`${inputClass} ${ring("reason")}`}
          {...described("reason")}
        />
        <ErrorText id="price-reason-error" error={fields.reason} />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : `Save as version ${nextVersion}`}
      </Button>
    </form>
  );
}
