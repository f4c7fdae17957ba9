"use server";

import { redirect } from "next/navigation";
import { verifyEmail } from "@/lib/accounts/verification";

/** Uses the link (once), then to the billing page, which says what happened (and shows the bonus). */
export async function verifyEmailAction(formData: FormData): Promise<void> {
  const token = String(formData.get("token") ?? "").slice(0, 100);
  const result = await verifyEmail(token);
  if (result.outcome === "invalid") redirect(`/verify-email/${encodeURIComponent(token)}`);
  redirect(`/settings/billing?verified=${result.bonus ? "bonus" : "1"}`);
}
