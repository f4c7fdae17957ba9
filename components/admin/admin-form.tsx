"use client";

import type { ReactNode } from "react";
import { InlineMessage } from "@/components/ui/field";
import { Form, SubmitButton, useFormAction } from "@/components/ui/form";
import type { AdminAction } from "@/components/admin/types";

/**
 * A console form posting to a server action: the fields (TextField and friends show their own errors),
 * then the submit button with the answer next to it on success, or an alert under it on failure.
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
  children: ReactNode;
  resetOnSuccess?: boolean;
}) {
  const form = useFormAction(action, (_result, _data, el) => {
    if (resetOnSuccess) el?.reset();
  });
  return (
    <Form state={form} aria-label={label} className="space-y-4" alertAt="end">
      {children}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel="Saving…">{submit}</SubmitButton>
        <InlineMessage tone="success">{form.succeeded?.message}</InlineMessage>
      </div>
    </Form>
  );
}
