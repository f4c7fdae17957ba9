"use server";

import { redirect } from "next/navigation";
import { unsubscribeWithToken } from "@/lib/mail/unsubscribe";

/** The unsubscribe page's button: the signed link is the authority (no sign-in needed). */
export async function unsubscribeAction(formData: FormData): Promise<void> {
  const userId = String(formData.get("u") ?? "").slice(0, 200);
  const token = String(formData.get("t") ?? "").slice(0, 200);
  const ok = await unsubscribeWithToken(userId, token);
  const query = `u=${encodeURIComponent(userId)}&t=${encodeURIComponent(token)}`;
  redirect(`/mail/unsubscribe?${query}${ok ? "&done=1" : ""}`);
}
