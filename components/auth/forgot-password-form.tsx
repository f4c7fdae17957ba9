"use client";

import Link from "next/link";
import { SubmitButton, TextField } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { MailLinkForm, type MailLinkResult } from "@/components/auth/mail-link-form";

export function ForgotPasswordForm({ action, outbox }: { action: (formData: FormData) => Promise<MailLinkResult>; outbox: boolean }) {
  return (
    <MailLinkForm
      action={action}
      sent={(sentTo, dismiss) => (
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
          <Button type="button" variant="secondary" className="w-full" onClick={dismiss}>
            Use another address
          </Button>
        </div>
      )}
    >
      <TextField id="email" name="email" label="Email" type="email" autoComplete="email" required />
      <SubmitButton className="w-full" pendingLabel="Sending…">
        Send reset link
      </SubmitButton>
    </MailLinkForm>
  );
}
