import { unstable_rethrow } from "next/navigation";
import { AppError, inputErrorOf } from "@/lib/errors";

/** What a server action answers when it fails: a message for the form, and errors by field. */
export type ActionFailure = { ok: false; message: string; fields?: Record<string, string> };

/**
 * Turns what a server action threw into its answer. The session guards' redirect (to /login) and
 * 404 are rethrown so Next.js carries them out; an AppError's message and fields go to the form (input
 * the database refused, like a NUL character, becomes one); anything else is logged and reported as a
 * generic failure.
 */
export function actionFailure(err: unknown): ActionFailure {
  unstable_rethrow(err);
  err = inputErrorOf(err) ?? err;
  if (err instanceof AppError) {
    const fields = err.options.details?.fields as Record<string, string> | undefined;
    const field = err.options.details?.field;
    return { ok: false, message: err.message, fields: fields ?? (typeof field === "string" ? { [field]: err.message } : undefined) };
  }
  console.error(err);
  return { ok: false, message: "Something went wrong. Please try again." };
}
