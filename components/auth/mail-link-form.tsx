"use client";

import type { ReactNode } from "react";
import { Form, useFormAction } from "@/components/ui/form";

/** What a form that mails a link is answered: the address it went to, or what to correct. */
export type MailLinkResult = { ok: true; email: string } | { ok: false; message?: string; fields: Record<string, string> };

/**
 * A form that mails a link (sign-up, password reset): once `action` answers with the address, the notice
 * `sent` makes for it ("check your inbox") stands in place of the form; `dismiss` brings the form back.
 */
export function MailLinkForm({
  action,
  sent,
  children,
}: {
  action: (formData: FormData) => Promise<MailLinkResult>;
  sent: (email: string, dismiss: () => void) => ReactNode;
  /** The form's fields and its submit button. */
  children: ReactNode;
}) {
  const form = useFormAction(action);
  const email = form.succeeded?.email;
  if (email) return sent(email, form.dismiss);
  return (
    <Form state={form} className="space-y-4">
      {children}
    </Form>
  );
}
