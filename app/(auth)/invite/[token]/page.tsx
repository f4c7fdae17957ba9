import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "@/lib/auth/session";
import { findInvitation, hasAccount, unavailableMessage } from "@/lib/teams/invitations";
import { ButtonLink } from "@/components/ui/button";
import { LocalTime } from "@/components/billing/local-time";
import { AcceptButton, InviteSignUpForm, SignOutToSwitch } from "@/components/invite/accept-invitation";
import { acceptInvitationAction, enterWorkspaceAction, signUpAndAcceptAction } from "./actions";
import { AuthCard } from "@/components/auth/auth-card";

export const metadata: Metadata = { title: "Invitation" };

/** An invitation that cannot be accepted: why, and the way on for whoever holds the link. */
function Unavailable({ title, signedIn, children }: { title: string; signedIn: boolean; children: React.ReactNode }) {
  return (
    <AuthCard title={title} className="space-y-4">
      {children}
      <ButtonLink href={signedIn ? "/settings/billing" : "/login"} variant="secondary" className="w-full">
        {signedIn ? "Go to your workspace" : "Sign in"}
      </ButtonLink>
    </AuthCard>
  );
}

/**
 * Where an invitation link leads: a signed-in invitee joins with one click; someone signed in with
 * another address is told which one the invitation is for; a visitor signs in, or creates an account
 * for the invited address, and joins.
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([findInvitation(token), getSessionUser()]);
  const here = `/invite/${encodeURIComponent(token)}`;

  if (!invitation) {
    return (
      <Unavailable title="Invitation not found" signedIn={Boolean(user)}>
        <p className="text-sm text-slate-700">
          This invitation link is not valid. Check that you copied all of it, or ask the person who invited you for a new link.
        </p>
      </Unavailable>
    );
  }

  const role = invitation.role === "OWNER" ? "an owner" : "a member";
  const inviter = invitation.invitedBy
    ? invitation.invitedBy.name
      ? `${invitation.invitedBy.name} (${invitation.invitedBy.email})`
      : invitation.invitedBy.email
    : "An owner";

  if (invitation.state !== "pending") {
    return (
      <Unavailable title="Invitation unavailable" signedIn={Boolean(user)}>
        <p role="alert" className="text-sm font-medium text-slate-900">
          {unavailableMessage(invitation.state)}
        </p>
        <p className="text-sm text-slate-600">
          {invitation.state === "accepted"
            ? `If you accepted it, ${invitation.workspace.name} is in your workspace menu.`
            : `Ask an owner of ${invitation.workspace.name} for a new link.`}
        </p>
      </Unavailable>
    );
  }

  const intro = (
    <div className="space-y-1 text-sm text-slate-700">
      <p>
        {inviter} invited <span className="font-semibold text-slate-900">{invitation.email}</span> to join{" "}
        <span className="font-semibold text-slate-900">{invitation.workspace.name}</span> as {role}.
      </p>
      <p className="text-xs text-slate-500">
        The link works once and expires <LocalTime iso={invitation.expiresAt.toISOString()} />.
      </p>
    </div>
  );

  let body: React.ReactNode;
  if (user && user.email === invitation.email) {
    body = <AcceptButton token={token} workspaceName={invitation.workspace.name} action={acceptInvitationAction} />;
  } else if (user) {
    body = (
      <>
        <div role="alert" className="rounded-md bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
          This invitation is for <span className="font-semibold">{invitation.email}</span>, but you are signed in as{" "}
          <span className="font-semibold">{user.email}</span>. Sign out, then sign in or create an account as {invitation.email} to accept
          it.
        </div>
        <SignOutToSwitch returnTo={here} />
      </>
    );
  } else if (await hasAccount(invitation.email)) {
    body = (
      <>
        <p className="text-sm text-slate-700">You already have an account for {invitation.email}: sign in to accept.</p>
        <ButtonLink href={`/login?callbackUrl=${encodeURIComponent(here)}`} className="w-full">
          Sign in to accept
        </ButtonLink>
      </>
    );
  } else {
    body = (
      <>
        <p className="text-sm text-slate-700">Create your account to join. You also get a personal workspace of your own.</p>
        <InviteSignUpForm token={token} email={invitation.email} action={signUpAndAcceptAction} enter={enterWorkspaceAction} />
        <p className="text-center text-sm text-slate-600">
          Have an account under another address?{" "}
          <Link href={`/login?callbackUrl=${encodeURIComponent(here)}`} className="font-semibold text-indigo-600 hover:text-indigo-500">
            Sign in
          </Link>
        </p>
      </>
    );
  }

  return (
    <AuthCard title={`Join ${invitation.workspace.name}`} className="space-y-4">
      {intro}
      {body}
    </AuthCard>
  );
}
