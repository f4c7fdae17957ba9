"use server";

import { headers } from "next/headers";
import { now } from "@/lib/clock";
import { AppError, fieldErrors } from "@/lib/errors";
import { createAccount } from "@/lib/auth/signup";
import { signUpSchema } from "@/lib/auth/schemas";
import { clientIp } from "@/lib/client-address";
import { hitRateLimit } from "@/lib/rate-limit";

export type SignUpState = { ok: true } | { ok: false; message?: string; fields: Record<string, string> };

const SIGNUPS_PER_IP_PER_HOUR = 20;

/** Creates the account; the form then signs in with the same credentials. */
export async function signUpAction(formData: FormData): Promise<SignUpState> {
  const parsed = signUpSchema.safeParse({
    name: formData.get("name") ?? undefined,
    email: formData.get("email") ?? undefined,
    password: formData.get("password") ?? undefined,
  });
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error.issues) };

  const ip = clientIp(await headers());
  const limit = await hitRateLimit(`signup:ip:${ip}`, SIGNUPS_PER_IP_PER_HOUR, 60 * 60 * 1000, now());
  if (!limit.allowed) return { ok: false, message: "Too many sign-ups from this network. Try again later.", fields: {} };

  try {
    await createAccount(parsed.data);
    return { ok: true };
  } catch (err) {
    if (err instanceof AppError && err.code === "email_taken") {
      return { ok: false, fields: { email: "An account with this email already exists. Sign in instead." } };
    }
    console.error(err);
    return { ok: false, message: "We couldn’t create your account just now. Please try again.", fields: {} };
  }
}
