"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";
import { safeRedirectPath } from "@/lib/auth/redirects";

type Demo = { email: string; password: string } | null;

function messageFor(error: string): string {
  if (error === "CredentialsSignin") return "Wrong email or password.";
  if (error.startsWith("Too many")) return error;
  return "Sign-in failed. Please try again.";
}

export function LoginForm({ next, demo }: { next: string; demo: Demo }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(credentials: { email: string; password: string }) {
    setError(null);
    startTransition(async () => {
      const result = await signIn("credentials", { ...credentials, redirect: false });
      if (!result || result.error) {
        setError(messageFor(result?.error ?? ""));
        return;
      }
      // `next` was checked by the page; checked again here, since this is where the browser goes.
      router.push(safeRedirectPath(next));
      router.refresh();
    });
  }

  return (
    <div className="space-y-5">
      {demo ? (
        <div className="rounded-lg bg-indigo-50 p-4 text-sm text-indigo-900 ring-1 ring-inset ring-indigo-200">
          <p className="font-semibold">Demo mode</p>
          <p className="mt-1">
            Sign in as <span className="font-mono">{demo.email}</span> with password <span className="font-mono">{demo.password}</span>.
          </p>
          <Button type="button" variant="secondary" className="mt-3 w-full" disabled={pending} onClick={() => submit(demo)}>
            Sign in as the demo user
          </Button>
        </div>
      ) : null}
      <form
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit({ email, password });
        }}
      >
        {error ? <FormAlert>{error}</FormAlert> : null}
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </div>
  );
}
