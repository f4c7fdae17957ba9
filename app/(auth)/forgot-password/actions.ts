"use server";

import { after } from "next/server";
import { headers } from "next/headers";
import { emailSchema } from "@/lib/auth/schemas";
import { ThrottledError } from "@/lib/auth/throttle";
import { clientIp } from "@/lib/client-address";
import { deliverPasswordReset, throttleResetRequest } from "@/lib/accounts/password-reset";

export type ForgotPasswordState = { ok: true; email: string } | { ok: false; message?: string; fields: Record<string, string> };

/**
 * Always the same answer for any well-formed address (no account enumeration). The mail goes out after
 * the response (after()), so how long the answer takes says nothing about the address either.
 */
export async function forgotPasswordAction(formData: FormData): Promise<ForgotPasswordState> {
  const email = emailSchema.safeParse(formData.get("email") ?? undefined);
  if (!email.success) return { ok: false, fields: { email: email.error.issues[0]?.message ?? "Enter a valid email address." } };
  try {
    await throttleResetRequest(clientIp(await headers()));
  } catch (err) {
    if (err instanceof ThrottledError)
      return { ok: false, message: "Too many reset requests from this network. Try again in a few minutes.", fields: {} };
    throw err;
  }
  after(async () => {
    try {
      await deliverPasswordReset(email.data);
    } catch (err) {
      console.error("[forgot-password] delivering a reset link failed:", err);
    }
  });
  return { ok: true, email: email.data };
}
