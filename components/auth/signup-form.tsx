"use client";

import { SubmitButton, TextField } from "@/components/ui/form";
import { ButtonLink } from "@/components/ui/button";
import { NewPasswordField } from "@/components/auth/new-password-field";
import { MailLinkForm, type MailLinkResult } from "@/components/auth/mail-link-form";

/**
 * Sign-up ends in "check your inbox" whether the address was new or had an account already (its owner
 * is told by mail): the form never says which addresses have an account.
 */
export function SignUpForm({ action }: { action: (formData: FormData) => Promise<MailLinkResult> }) {
  return (
    <MailLinkForm
      action={action}
      sent={(sentTo) => (
        <div role="status" className="space-y-4 text-sm text-slate-700">
          <h2 className="text-lg font-semibold text-slate-900">Check your inbox</h2>
          <p>
            We sent a message to <span className="break-all font-semibold text-slate-900">{sentTo}</span>. Open the link in it to confirm
            your address and get your bonus credits, then sign in.
          </p>
          <p className="text-slate-600">
            No mail within a few minutes? Check your spam folder, or sign in and ask for a new link from the billing page.
          </p>
          <ButtonLink href={`/login?callbackUrl=${encodeURIComponent("/settings/billing")}`} className="w-full">
            Sign in
          </ButtonLink>
        </div>
      )}
    >
      <TextField id="name" name="name" label="Name (optional)" autoComplete="name" />
      <TextField id="email" name="email" label="Email" type="email" autoComplete="email" required />
      <NewPasswordField id="password" />
      <SubmitButton className="w-full" pendingLabel="Creating account…">
        Create account
      </SubmitButton>
    </MailLinkForm>
  );
}
