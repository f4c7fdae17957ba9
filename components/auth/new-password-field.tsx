"use client";

import { TextField } from "@/components/ui/form";

/** A new password (sign-up, reset, joining by invitation): at least 10 characters; its error comes from the form. */
export function NewPasswordField({ id, label = "Password" }: { id: string; label?: string }) {
  return (
    <TextField
      id={id}
      name="password"
      label={label}
      type="password"
      autoComplete="new-password"
      required
      minLength={10}
      placeholder="At least 10 characters"
    />
  );
}
