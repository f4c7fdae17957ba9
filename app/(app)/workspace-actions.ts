"use server";

import { redirect } from "next/navigation";
import { switchWorkspace } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { DEFAULT_AFTER_SIGN_IN } from "@/lib/auth/redirects";

/** The header's workspace switcher: checks the membership, sets the workspace cookie, reloads the page. */
export async function switchWorkspaceAction(formData: FormData): Promise<{ ok: false; message: string }> {
  const returnTo = String(formData.get("returnTo") ?? "");
  try {
    await switchWorkspace(String(formData.get("workspaceId") ?? ""));
  } catch (err) {
    if (err instanceof AppError) return { ok: false, message: err.message };
    throw err;
  }
  redirect(/^\/settings\/[a-z-]+$/.test(returnTo) ? returnTo : DEFAULT_AFTER_SIGN_IN);
}
