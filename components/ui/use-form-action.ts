"use client";

import { useState, useTransition, type FormEvent } from "react";

export type FormActionResult = { ok: true } | { ok: false; message?: string; fields?: Record<string, string> };

/**
 * A form posting to a server action: on submit the action gets the form's data; a failure sets the
 * field errors and the form-level message, a success clears them and runs `onSuccess`.
 */
export function useFormAction<R extends FormActionResult>(
  action: (formData: FormData) => Promise<R>,
  onSuccess: (result: Extract<R, { ok: true }>, formData: FormData) => void | Promise<void>,
) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formData = new FormData(e.currentTarget);
    setMessage(null);
    startTransition(async () => {
      const result = await action(formData);
      if (!result.ok) {
        setFields(result.fields ?? {});
        setMessage(result.message ?? null);
        return;
      }
      setFields({});
      await onSuccess(result as Extract<R, { ok: true }>, formData);
    });
  };
  return { fields, message, pending, onSubmit };
}
