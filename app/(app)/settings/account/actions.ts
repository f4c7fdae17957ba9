"use server";

import { now } from "@/lib/clock";
import { AppError, inputErrorOf } from "@/lib/errors";
import { requireWorkspace } from "@/lib/auth/session";
import { hitRateLimit } from "@/lib/rate-limit";
import { sendVerificationMail } from "@/lib/accounts/verification";
import { deleteAccount } from "@/lib/accounts/delete";
import { endAllSessions } from "@/lib/auth/session-revocation";
import { setUsageMailOptOut } from "@/lib/mail/unsubscribe";
import { revalidatePath } from "next/cache";

export type AccountActionResult = { ok: true } | { ok: false; message: string; field?: string };

const RESENDS_PER_HOUR = 5;

/** "Resend" in the verification notice: a fresh link, at most 5 an hour per user. */
export async function resendVerificationAction(): Promise<AccountActionResult> {
  const { user } = await requireWorkspace();
  const limit = await hitRateLimit(`verify:user:${user.id}`, RESENDS_PER_HOUR, 60 * 60 * 1000, now());
  if (!limit.allowed) return { ok: false, message: "You asked for several links already. Use the newest mail, or try again in an hour." };
  const sent = await sendVerificationMail(user.id);
  if (sent?.error) return { ok: false, message: "We couldn’t send the mail just now. Please try again in a few minutes." };
  return { ok: true };
}

/** "Delete my account": the typed email is the confirmation; lib/accounts/delete.ts says what happens. */
export async function deleteAccountAction(formData: FormData): Promise<AccountActionResult> {
  const { user } = await requireWorkspace();
  try {
    await deleteAccount({ userId: user.id, confirmEmail: String(formData.get("confirm") ?? "") });
    return { ok: true };
  } catch (thrown) {
    const err = inputErrorOf(thrown) ?? thrown;
    if (err instanceof AppError)
      return { ok: false, message: err.message, ...(err.options.details?.field ? { field: String(err.options.details.field) } : {}) };
    console.error(err);
    return { ok: false, message: "Something went wrong. Nothing was deleted; please try again." };
  }
}

/** "Sign out everywhere": every session of this user ends, on every device, this one included. */
export async function signOutEverywhereAction(): Promise<AccountActionResult> {
  const { user } = await requireWorkspace();
  await endAllSessions(user.id);
  return { ok: true };
}

/** "Billing mail": usage notices on or off for the signed-in user (payment and plan notices always go). */
export async function updateMailSettingsAction(formData: FormData): Promise<void> {
  const { user } = await requireWorkspace();
  await setUsageMailOptOut(user.id, formData.get("usageNotices") !== "on");
  revalidatePath("/settings/account");
}
