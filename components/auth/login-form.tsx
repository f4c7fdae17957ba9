"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Form, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { safeRedirectPath } from "@/lib/auth/redirects";

type Demo = { email: string; password: string } | null;

function messageFor(error: string): string {
  if (error === "CredentialsSignin") return "Wrong email or password.";
  if (error.startsWith("Too many")) return error;
  return "Sign-in failed. Please try again.";
}

/** Signs in with the email and password sent (the form's, or the demo user's). */
async function signInWith(data: FormData): Promise<{ ok: true } | { ok: false; message: string }> {
  const result = await signIn("credentials", { email: data.get("email"), password: data.get("password"), redirect: false });
  return !result || result.error ? { ok: false, message: messageFor(result?.error ?? "") } : { ok: true };
}

export function LoginForm({ next, demo }: { next: string; demo: Demo }) {
  const router = useRouter();
  const form = useFormAction(signInWith, () => {
    // `next` was checked by the page; checked again here, since this is where the browser goes.
    router.push(safeRedirectPath(next));
    router.refresh();
  });

  return (
    <div className="space-y-5">
      {demo ? (
        <div className="rounded-lg bg-indigo-50 p-4 text-sm text-indigo-900 ring-1 ring-inset ring-indigo-200">
          <p className="font-semibold">Demo mode</p>
          <p className="mt-1">
            Sign in as <span className="font-mono">{demo.email}</span> with password <span className="font-mono">{demo.password}</span>.
          </p>
          <Button
            type="button"
            variant="secondary"
            className="mt-3 w-full"
            disabled={form.pending}
            onClick={() => {
              const data = new FormData();
              data.set("email", demo.email);
              data.set("password", demo.password);
              form.run(data);
            }}
          >
            Sign in as the demo user
          </Button>
        </div>
      ) : null}
      <Form state={form} className="space-y-4">
        <TextField id="email" name="email" label="Email" type="email" autoComplete="email" required />
        <TextField id="password" name="password" label="Password" type="password" autoComplete="current-password" required />
        <SubmitButton className="w-full" pendingLabel="Signing in…">
          Sign in
        </SubmitButton>
      </Form>
    </div>
  );
}
