"use client";

import { useState, useTransition, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import type { AdminAction } from "@/components/admin/types";

/**
 * A console form posting to a server action: the fields come from `children(errors)`, the answer shows
 * under them (a status on success, an alert with the fields marked on failure).
 */
export function AdminForm({
  action,
  label,
  submit,
  children,
  resetOnSuccess = false,
}: {
  action: AdminAction;
  label: string;
  submit: string;
  children: (errors: Record<string, string>) => ReactNode;
  resetOnSuccess?: boolean;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      noValidate
      aria-label={label}
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        startTransition(async () => {
          const r = await action(data);
          setErrors(r.ok ? {} : (r.fields ?? {}));
          setResult({ ok: r.ok, message: r.message });
          if (r.ok && resetOnSuccess) form.reset();
        });
      }}
    >
      {children(errors)}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submit}
        </Button>
        {result?.ok ? (
          <p role="status" className="text-sm text-emerald-700">
            {result.message}
          </p>
        ) : null}
      </div>
      {result && !result.ok ? <FormAlert>{result.message}</FormAlert> : null}
    </form>
  );
}
