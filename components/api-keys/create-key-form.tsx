"use client";

import { useState } from "react";
import { CopyField } from "@/components/ui/copy-field";
import { InlineMessage } from "@/components/ui/field";
import { Form, NumberField, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import type { KeyAction } from "@/components/api-keys/types";
import { WorkspaceField } from "@/components/layout/workspace-scope";
import { ActionKey } from "@/components/ui/action-key";

/** `actions`: offer to restrict the key to some actions of the price table (none ticked = all). */
export function CreateKeyForm({ action, actions }: { action: KeyAction; actions?: { key: string; name: string }[] }) {
  const [secret, setSecret] = useState<string | null>(null);
  const form = useFormAction(action, (result, _data, el) => {
    setSecret(result.secret ?? null);
    el?.reset();
  });

  return (
    <div className="space-y-4">
      {secret ? (
        <div role="status" className="rounded-lg bg-emerald-50 p-4 ring-1 ring-inset ring-emerald-200">
          <p className="text-sm font-semibold text-emerald-900">Your new key — copy it now, it will not be shown again.</p>
          <CopyField key={secret} value={secret} label="New API key" copyLabel="Copy key" />
        </div>
      ) : null}
      <Form state={form} className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start" alertClassName="sm:col-span-3">
        <WorkspaceField />
        <TextField id="key-name" name="name" label="Key name" placeholder="Production backend" required />
        <NumberField id="key-cap" name="hourlyCap" label="Actions per hour" type="number" min={1} defaultValue={60} />
        <SubmitButton className="sm:mt-7" pendingLabel="Creating…">
          Create key
        </SubmitButton>
        {actions ? (
          <fieldset className="sm:col-span-3" aria-describedby="key-actions-help">
            <legend className="text-sm font-medium text-slate-900">Allowed actions</legend>
            <p id="key-actions-help" className="mt-1 text-xs text-slate-500">
              Leave all unticked to allow every action; otherwise any other action is refused with 403 <code>policy_denied</code>.
            </p>
            <InlineMessage className="mt-1">{form.fields.allowedActions}</InlineMessage>
            <div className="mt-2 grid gap-x-4 gap-y-1.5 sm:grid-cols-2 lg:grid-cols-3">
              {actions.map((a) => (
                <label key={a.key} className="flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" name="allowedActions" value={a.key} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
                  <span>
                    {a.name} <ActionKey value={a.key} className="text-xs text-slate-500" />
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
      </Form>
    </div>
  );
}
