"use server";

import { z } from "zod";
import { fieldErrors } from "@/lib/errors";
import { newPasswordSchema } from "@/lib/auth/schemas";
import { resetPassword } from "@/lib/accounts/password-reset";

export type ResetPasswordState = { ok: true } | { ok: false; message?: string; fields: Record<string, string> };

const schema = z
  .object({ token: z.string().max(100), password: newPasswordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

export async function resetPasswordAction(formData: FormData): Promise<ResetPasswordState> {
  const parsed = schema.safeParse({
    token: formData.get("token") ?? "",
    password: formData.get("password") ?? undefined,
    confirm: formData.get("confirm") ?? "",
  });
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error.issues) };
  const done = await resetPassword({ token: parsed.data.token, password: parsed.data.password });
  if (!done) return { ok: false, message: "This link has expired or was already used. Ask for a new one.", fields: {} };
  return { ok: true };
}
