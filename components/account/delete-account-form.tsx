"use client";

import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert } from "@/components/ui/field";

type Result = { ok: true } | { ok: false; message: string; field?: string };

/** Typed confirmation: the button works once the user's own email address is typed. */
export function DeleteAccountForm({ email, action }: { email: string; action: (formData: FormData) => Promise<Result> }) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<Result | null>(null);
  const [pending, startTransition] = useTransition();
  const matches = typed.trim().toLowerCase() === email;
  const fieldError = error && !error.ok && error.field === "confirm" ? error.message : undefined;
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const formData = new FormData(e.currentTarget);
        setError(null);
        startTransition(async () => {
          const result = await action(formData);
          if (!result.ok) {
            setError(result);
            return;
          }
          // The account is gone and its sessions refused already; clear the cookie and leave.
          await signOut({ callbackUrl: "/login?deleted=1" });
        });
      }}
    >
      {error && !error.ok && !fieldError ? <FormAlert>{error.message}</FormAlert> : null}
      <Field
        id="confirm"
        name="confirm"
        label={`Type ${email} to confirm`}
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        error={fieldError}
        className="max-w-md"
      />
      <Button
        type="submit"
        disabled={!matches || pending}
        className="bg-red-600 hover:bg-red-500 focus-visible:outline-red-600 disabled:bg-red-300"
      >
        {pending ? "Deleting…" : "Delete my account"}
      </Button>
    </form>
  );
}
