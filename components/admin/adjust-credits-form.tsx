"use client";

import { FormAlert } from "@/components/ui/field";
import { Form, MultilineField, NumberField, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { localToIso } from "@/components/admin/local-datetime";
import type { AdminAction } from "@/components/admin/types";

/** Grant (positive) or remove (negative) credits with a required reason; the ledger and the audit log record it. */
export function AdjustCreditsForm({ action }: { action: AdminAction }) {
  const form = useFormAction(
    action,
    (_result, _data, el) => el?.reset(),
    (data) => data.set("expiresAt", localToIso(data.get("expiresAt"))),
  );

  return (
    <Form state={form} className="space-y-4">
      {form.succeeded ? <FormAlert tone="success">{form.succeeded.message}</FormAlert> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <NumberField
          id="adjust-credits"
          name="credits"
          label="Credits"
          placeholder="500 or -200"
          required
          hint="Positive grants a bonus bucket; negative removes credits in spend order."
        />
        <TextField
          id="adjust-expires"
          name="expiresAt"
          label="Expires (grants only, optional)"
          type="datetime-local"
          hint="In your time zone. Empty: the credits never expire."
        />
      </div>
      <MultilineField
        id="adjust-reason"
        name="reason"
        label="Reason"
        rows={2}
        required
        maxLength={500}
        placeholder="e.g. Goodwill for the outage on Nov 3 (ticket #1234)"
      />
      <SubmitButton pendingLabel="Saving…">Apply adjustment</SubmitButton>
    </Form>
  );
}
