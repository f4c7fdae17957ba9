"use client";

import { signIn, signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";

type Result = { ok: true; workspaceId: string } | { ok: false; message?: string; fields?: Record<string, string> };
type Action = (formData: FormData) => Promise<Result>;

/** The signed-in invitee joins with one click. */
export function AcceptButton({ token, workspaceName, action }: { token: string; workspaceName: string; action: Action }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      {message ? <FormAlert>{message}</FormAlert> : null}
      <Button
        type="button"
        className="w-full whitespace-normal"
        disabled={pending}
        onClick={() => {
          const data = new FormData();
          data.set("token", token);
          setMessage(null);
          startTransition(async () => {
            const r = await action(data);
            if (!r.ok) setMessage(r.message ?? "Something went wrong.");
          });
        }}
      >
        {pending ? "Joining…" : `Join ${workspaceName}`}
      </Button>
    </div>
  );
}

export function SignOutToSwitch({ returnTo }: { returnTo: string }) {
  return (
    <Button type="button" variant="secondary" className="w-full" onClick={() => signOut({ callbackUrl: returnTo })}>
      Sign out
    </Button>
  );
}

/** A new user: name and password for an account with the invited email, then they join and are signed in. */
export function InviteSignUpForm({ token, email, action, enter }: { token: string; email: string; action: Action; enter: Action }) {
  const router = useRouter();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="space-y-4"
      noValidate
      aria-label="Create your account and join"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        data.set("token", token);
        setMessage(null);
        startTransition(async () => {
          const result = await action(data);
          if (!result.ok) {
            setFields(result.fields ?? {});
            setMessage(result.message ?? null);
            return;
          }
          const signedIn = await signIn("credentials", { email, password: String(data.get("password")), redirect: false });
          if (!signedIn?.ok) {
            router.push("/login");
            return;
          }
          const entered = new FormData();
          entered.set("workspaceId", result.workspaceId);
          const r = await enter(entered);
          if (!r.ok) setMessage(r.message ?? null);
        });
      }}
    >
      {message ? <FormAlert>{message}</FormAlert> : null}
      <Field
        id="invite-email"
        name="email"
        label="Email"
        type="email"
        value={email}
        readOnly
        aria-readonly="true"
        className="[&_input]:bg-slate-50"
      />
      <Field id="invite-name" name="name" label="Name (optional)" autoComplete="name" error={fields.name} />
      <Field
        id="invite-password"
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        placeholder="At least 10 characters"
        error={fields.password}
      />
      <Button type="submit" className="w-full whitespace-normal" disabled={pending}>
        {pending ? "Creating account…" : "Create account and join"}
      </Button>
    </form>
  );
}
