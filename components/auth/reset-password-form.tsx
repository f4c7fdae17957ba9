"use client";

import { useRouter } from "next/navigation";
import { Form, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { NewPasswordField } from "@/components/auth/new-password-field";

type Result = { ok: true } | { ok: false; message?: string; fields: Record<string, string> };

export function ResetPasswordForm({ token, action }: { token: string; action: (formData: FormData) => Promise<Result> }) {
  const router = useRouter();
  const form = useFormAction(action, () => router.push("/login?reset=1"));

  return (
    <Form state={form} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <NewPasswordField id="password" label="New password" />
      <TextField id="confirm" name="confirm" label="Repeat the new password" type="password" autoComplete="new-password" required />
      <p className="text-xs text-slate-500">Every device signed in to this account will be signed out.</p>
      <SubmitButton className="w-full" pendingLabel="Saving…">
        Set new password
      </SubmitButton>
    </Form>
  );
}
