"use client";

import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";
import type { KeyAction } from "@/components/api-keys/types";
import { WorkspaceField } from "@/components/layout/workspace-scope";
import { ActionKey } from "@/components/ui/action-key";

/** `actions`: offer to restrict the key to some actions of the price table (none ticked = all). */
export function CreateKeyForm({ action, actions }: { action: KeyAction; actions?: { key: string; name: string }[] }) {
  const form = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, startTransition] = useTransition();

  return (
    <div className="space-y-4">
      {secret ? (
        <div role="status" className="rounded-lg bg-emerald-50 p-4 ring-1 ring-inset ring-emerald-200">
          <p className="text-sm font-semibold text-emerald-900">Your new key — copy it now, it will not be shown again.</p>
          <div className="mt-3 flex flex-col gap-2 sm:flex-row">
            <input
              readOnly
              aria-label="New API key"
              value={secret}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border-0 bg-white px-3 py-2 font-mono text-xs text-slate-900 ring-1 ring-inset ring-emerald-300"
            />
            <Button
              type="button"
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(secret);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy key"}
            </Button>
          </div>
        </div>
      ) : null}
      <form
        ref={form}
        noValidate
        className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setMessage(null);
          startTransition(async () => {
            const result = await action(data);
            if (!result.ok) {
              setFields(result.fields ?? {});
              setMessage(result.fields ? null : (result.message ?? null));
              return;
            }
            setFields({});
            setCopied(false);
            setSecret(result.secret ?? null);
            form.current?.reset();
          });
        }}
      >
        <WorkspaceField />
        {message ? (
          <div className="sm:col-span-3">
            <FormAlert>{message}</FormAlert>
          </div>
        ) : null}
        <Field id="key-name" name="name" label="Key name" placeholder="Production backend" required error={fields.name} />
        <Field
          id="key-cap"
          name="hourlyCap"
          label="Actions per hour"
          type="number"
          inputMode="numeric"
          min={1}
          defaultValue={60}
          error={fields.hourlyCap}
        />
        <Button type="submit" disabled={pending} className="sm:mt-7">
          {pending ? "Creating…" : "Create key"}
        </Button>
        {actions ? (
          <fieldset className="sm:col-span-3" aria-describedby="key-actions-help">
            <legend className="text-sm font-medium text-slate-900">Allowed actions</legend>
            <p id="key-actions-help" className="mt-1 text-xs text-slate-500">
              Leave all unticked to allow every action; otherwise any other action is refused with 403 <code>policy_denied</code>.
            </p>
            {fields.allowedActions ? (
              <p role="alert" className="mt-1 text-sm text-red-600">
                {fields.allowedActions}
              </p>
            ) : null}
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
      </form>
    </div>
  );
}
