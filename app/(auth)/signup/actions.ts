"use server";

import { headers } from "next/headers";
import { now } from "@/lib/clock";
import { fieldErrors, inputErrorOf } from "@/lib/errors";
import { signUp } from "@/lib/accounts/signup";
import { signUpSchema } from "@/lib/auth/schemas";
import { clientIp } from "@/lib/client-address";
import { hitRateLimit } from "@/lib/rate-limit";

export type SignUpState = { ok: true; email: string } | { ok: false; message?: string; fields: Record<string, string> };

const SIGNUPS_PER_IP_PER_HOUR = 20;

/**
 * Creates the account, or — when the address has one already — mails its owner instead. The answer is
 * the same either way ("check your inbox"), so sign-up does not tell anyone which addresses have an
 * account (lib/accounts/signup.ts).
 */
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
    await signUp(parsed.data);
    return { ok: true, email: parsed.data.email.trim().toLowerCase() };
  } catch (thrown) {
    const err = inputErrorOf(thrown);
    if (err) return { ok: false, message: err.message, fields: {} };
    console.error(thrown);
    return { ok: false, message: "We couldn’t create your account just now. Please try again.", fields: {} };
  }
}
