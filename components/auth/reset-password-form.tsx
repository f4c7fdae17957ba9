"use client";

import { useRouter } from "next/navigation";
import { useFormAction } from "@/components/ui/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";

type Result = { ok: true } | { ok: false; message?: string; fields: Record<string, string> };

export function ResetPasswordForm({ token, action }: { token: string; action: (formData: FormData) => Promise<Result> }) {
  const router = useRouter();
  const { fields, message, pending, onSubmit } = useFormAction(action, () => router.push("/login?reset=1"));

  return (
    <form className="space-y-4" noValidate onSubmit={onSubmit}>
      {message ? <FormAlert>{message}</FormAlert> : null}
      <input type="hidden" name="token" value={token} />
      <Field
        id="password"
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        placeholder="At least 10 characters"
        error={fields.password}
      />
      <Field
        id="confirm"
        name="confirm"
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        error={fields.confirm}
      />
      <p className="text-xs text-slate-500">Every device signed in to this account will be signed out.</p>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
