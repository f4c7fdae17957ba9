"use client";

import { signIn, signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { ActionButton, Form, SubmitButton, TextField, useFormAction } from "@/components/ui/form";
import { NewPasswordField } from "@/components/auth/new-password-field";

type Result = { ok: true; workspaceId: string } | { ok: false; message?: string; fields?: Record<string, string> };
type Action = (formData: FormData) => Promise<Result>;

/** The signed-in invitee joins with one click. */
export function AcceptButton({ token, workspaceName, action }: { token: string; workspaceName: string; action: Action }) {
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      {message ? <FormAlert>{message}</FormAlert> : null}
      <ActionButton
        className="w-full whitespace-normal"
        pendingLabel="Joining…"
        action={() => {
          const data = new FormData();
          data.set("token", token);
          setMessage(null);
          return action(data);
        }}
        onResult={(r) => setMessage(r.ok ? null : (r.message ?? "Something went wrong."))}
      >
        {`Join ${workspaceName}`}
      </ActionButton>
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
  const form = useFormAction(
    action,
    async (result, data) => {
      const signedIn = await signIn("credentials", { email, password: String(data.get("password")), redirect: false });
      if (!signedIn?.ok) {
        router.push("/login");
        return null;
      }
      const entered = new FormData();
      entered.set("workspaceId", result.workspaceId);
      const r = await enter(entered);
      return r.ok ? null : r.message;
    },
    (data) => data.set("token", token),
  );
  return (
    <Form state={form} className="space-y-4" aria-label="Create your account and join">
      <TextField
        id="invite-email"
        name="email"
        label="Email"
        type="email"
        value={email}
        readOnly
        aria-readonly="true"
        className="[&_input]:bg-slate-50"
      />
      <TextField id="invite-name" name="name" label="Name (optional)" autoComplete="name" />
      <NewPasswordField id="invite-password" />
      <SubmitButton className="w-full whitespace-normal" pendingLabel="Creating account…">
        Create account and join
      </SubmitButton>
    </Form>
  );
}
