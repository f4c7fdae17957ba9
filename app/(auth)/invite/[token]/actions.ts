"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { now } from "@/lib/clock";
import { AppError, fieldErrors, inputErrorOf } from "@/lib/errors";
import { getSessionUser, switchWorkspace } from "@/lib/auth/session";
import { createAccount } from "@/lib/accounts/signup";
import { newPasswordSchema } from "@/lib/auth/schemas";
import { clientIp } from "@/lib/client-address";
import { hitRateLimit } from "@/lib/rate-limit";
import { acceptInvitation, findInvitation } from "@/lib/teams/invitations";

export type InviteActionState = { ok: true; workspaceId: string } | { ok: false; message?: string; fields?: Record<string, string> };

function failure(thrown: unknown): InviteActionState {
  const err = inputErrorOf(thrown) ?? thrown;
  if (err instanceof AppError) return { ok: false, message: [err.message, err.options.nextStep].filter(Boolean).join(" ") };
  console.error(err);
  return { ok: false, message: "Something went wrong. Please try again." };
}

/** A signed-in user accepts: they join, the workspace becomes their current one, and they land on its billing page. */
export async function acceptInvitationAction(formData: FormData): Promise<InviteActionState> {
  try {
    const user = await getSessionUser();
    if (!user) return { ok: false, message: "Sign in first." };
    const accepted = await acceptInvitation({ token: String(formData.get("token") ?? ""), userId: user.id });
    await switchWorkspace(accepted.workspaceId);
  } catch (err) {
    return failure(err);
  }
  redirect("/settings/billing");
}

const SIGNUPS_PER_IP_PER_HOUR = 20; // as the sign-up page

const schema = z.object({
  name: z.string().trim().max(100, "Use at most 100 characters for your name.").optional().default(""),
  password: newPasswordSchema,
});

/**
 * A new user signs up from the invitation: the account is made for the invited email (it cannot be
 * changed here), then the invitation is accepted. The form signs in next and calls enterWorkspaceAction.
 */
export async function signUpAndAcceptAction(formData: FormData): Promise<InviteActionState> {
  const parsed = schema.safeParse({ name: formData.get("name") ?? undefined, password: formData.get("password") ?? undefined });
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error.issues) };
  const token = String(formData.get("token") ?? "");
  try {
    const invitation = await findInvitation(token);
    if (!invitation) throw new AppError("not_found", "This invitation link is not valid.");
    if (invitation.state !== "pending") throw new AppError("invitation_unavailable", "This invitation can no longer be accepted.");
    const ip = clientIp(await headers());
    const limit = await hitRateLimit(`signup:ip:${ip}`, SIGNUPS_PER_IP_PER_HOUR, 60 * 60 * 1000, now());
    if (!limit.allowed) return { ok: false, message: "Too many sign-ups from this network. Try again later." };
    const account = await createAccount({ name: parsed.data.name, email: invitation.email, password: parsed.data.password });
    const accepted = await acceptInvitation({ token, userId: account.userId });
    return { ok: true, workspaceId: accepted.workspaceId };
  } catch (err) {
    if (err instanceof AppError && err.code === "email_taken")
      return { ok: false, message: "An account with this email already exists. Sign in to accept the invitation." };
    return failure(err);
  }
}

/** After signing in: make the joined workspace the current one and go to its billing page. */
export async function enterWorkspaceAction(formData: FormData): Promise<InviteActionState> {
  try {
    await switchWorkspace(String(formData.get("workspaceId") ?? ""));
  } catch (err) {
    return failure(err);
  }
  redirect("/settings/billing");
}
