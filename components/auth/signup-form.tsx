"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useFormAction } from "@/components/ui/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";

type SignUpResult = { ok: true } | { ok: false; message?: string; fields: Record<string, string> };

export function SignUpForm({ action }: { action: (formData: FormData) => Promise<SignUpResult> }) {
  const router = useRouter();
  const { fields, message, pending, onSubmit } = useFormAction(action, async (_result, formData) => {
    const signedIn = await signIn("credentials", {
      email: String(formData.get("email")),
      password: String(formData.get("password")),
      redirect: false,
    });
    router.push(signedIn?.ok ? "/settings/billing" : "/login");
    router.refresh();
  });

  return (
    <form className="space-y-4" noValidate onSubmit={onSubmit}>
      {message ? <FormAlert>{message}</FormAlert> : null}
      <Field id="name" name="name" label="Name (optional)" autoComplete="name" error={fields.name} />
      <Field id="email" name="email" label="Email" type="email" autoComplete="email" required error={fields.email} />
      <Field
        id="password"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        error={fields.password}
        placeholder="At least 10 characters"
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
