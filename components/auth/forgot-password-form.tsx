"use client";

import Link from "next/link";
import { Form, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { Button } from "@/components/ui/button";

type Result = { ok: true; email: string } | { ok: false; message?: string; fields: Record<string, string> };

export function ForgotPasswordForm({ action, outbox }: { action: (formData: FormData) => Promise<Result>; outbox: boolean }) {
  const form = useFormAction(action);
  const sentTo = form.succeeded?.email;

  if (sentTo) {
    return (
      <div role="status" className="space-y-3 text-sm text-slate-700">
        <p className="font-semibold text-slate-900">Check your inbox</p>
        <p>
          If an account exists for <span className="font-medium text-slate-900">{sentTo}</span>, we’ve sent it a link to choose a new
          password. The link works once and expires in 1 hour.
        </p>
        {outbox ? (
          <p className="rounded-md bg-indigo-50 px-3 py-2 text-indigo-900 ring-1 ring-inset ring-indigo-200">
            Demo mode: mail is not sent anywhere. Open the{" "}
            <Link href={`/dev/mail?to=${encodeURIComponent(sentTo)}`} className="font-semibold underline">
              mail outbox
            </Link>{" "}
            to follow the link.
          </p>
        ) : null}
        <Button type="button" variant="secondary" className="w-full" onClick={form.dismiss}>
          Use another address
        </Button>
      </div>
    );
  }

  return (
    <Form state={form} className="space-y-4">
      <TextField id="email" name="email" label="Email" type="email" autoComplete="email" required />
      <SubmitButton className="w-full" pendingLabel="Sending…">
        Send reset link
      </SubmitButton>
    </Form>
  );
}
