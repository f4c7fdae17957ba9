"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { Form, SubmitButton, TextField, useFormAction } from "@/components/ui/form";

type Result = { ok: true } | { ok: false; message: string; field?: string };

/** Typed confirmation: the button works once the user's own email address is typed. */
export function DeleteAccountForm({ email, action }: { email: string; action: (formData: FormData) => Promise<Result> }) {
  const [typed, setTyped] = useState("");
  // The account is gone and its sessions refused already; clear the cookie and leave.
  const form = useFormAction(action, () => signOut({ callbackUrl: "/login?deleted=1" }));
  const matches = typed.trim().toLowerCase() === email;
  const fieldError = form.failure?.field === "confirm" ? form.failure.message : undefined;
  return (
    // A refusal about the typed address shows under it rather than above the form.
    <Form state={{ ...form, message: fieldError ? null : form.message }} className="space-y-4">
      <TextField
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
      <SubmitButton disabled={!matches} pendingLabel="Deleting…" className="bg-red-600 hover:bg-red-500 focus-visible:outline-red-600">
        Delete my account
      </SubmitButton>
    </Form>
  );
}
