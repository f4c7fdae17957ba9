"use client";

import { useState } from "react";
import { FormAlert } from "@/components/ui/field";
import { Form, MultilineField, NumberField, OptionsField, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { localToIso } from "@/components/admin/local-datetime";
import type { AdminAction } from "@/components/admin/types";

type Policy = "REJECT" | "RATE_LIMIT" | "QUEUE";
export type PriceFormValues = { credits: number; reserveCredits: number | null; policy: Policy; provider: string | null; sync: boolean };

const WHEN = [
  ["now", "Immediately"],
  ["later", "At a later time"],
] as const;

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
  const [later, setLater] = useState(false);
  const form = useFormAction(
    action,
    (_result, _data, el) => {
      const reason = el?.elements.namedItem("reason");
      if (reason instanceof HTMLTextAreaElement) reason.value = "";
      setLater(false);
    },
    (data) => data.set("effectiveFrom", later ? localToIso(data.get("effectiveFrom")) : ""),
  );

  return (
    <Form state={form} aria-label={`New price for ${actionKey}`} className="space-y-4">
      {form.succeeded ? <FormAlert tone="success">{form.succeeded.message}</FormAlert> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <NumberField id="price-credits" name="credits" label="Credits per action" defaultValue={initial.credits} required />
        <NumberField
          id="price-reserveCredits"
          name="reserveCredits"
          label="Reserve (hold), optional"
          defaultValue={initial.reserveCredits ?? ""}
          placeholder="same as the price"
        />
      </div>
      <OptionsField id="price-policy" name="policy" label="When a workspace is out of credits" defaultValue={initial.policy}>
        {policies.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </OptionsField>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 sm:items-end">
        <TextField
          id="price-provider"
          name="provider"
          label="Provider, optional"
          defaultValue={initial.provider ?? ""}
          placeholder="e.g. fal.ai"
        />
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-900">
          <input type="checkbox" name="sync" defaultChecked={initial.sync} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
          Synchronous (answered in the same call)
        </label>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">Takes effect</legend>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-900">
          {WHEN.map(([value, text]) => (
            <label key={value} className="flex items-center gap-2">
              <input
                type="radio"
                name="when"
                value={value}
                checked={later === (value === "later")}
                onChange={() => setLater(value === "later")}
                className="h-4 w-4 text-indigo-600"
              />
              {text}
            </label>
          ))}
        </div>
        {later ? (
          <div className="mt-3">
            <TextField
              id="price-effectiveFrom"
              name="effectiveFrom"
              label="Effective from (your time zone)"
              type="datetime-local"
              required
            />
          </div>
        ) : null}
      </fieldset>
      <MultilineField
        id="price-reason"
        name="reason"
        label="Reason"
        rows={2}
        required
        maxLength={500}
        placeholder="e.g. Provider raised its price on Dec 1"
      />
      <SubmitButton pendingLabel="Saving…">{`Save as version ${nextVersion}`}</SubmitButton>
    </Form>
  );
}
