import { Suspense, type ReactNode } from "react";
import { requireWorkspace } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatCredits } from "@/lib/format";
import { outboxVisible } from "@/lib/mail";
import { verificationStatus } from "@/lib/accounts/verification";
import { listMyWorkspaces } from "@/lib/teams/members";
import { AppShell } from "@/components/layout/app-shell";
import { Providers } from "@/components/providers";
import { autoTopUpNotice } from "@/lib/billing/stripe/auto-top-up";
import { WorkspaceScope } from "@/components/layout/workspace-scope";
import { VerifyEmailNotice } from "@/components/account/verify-email-notice";
import { VerifiedNotice } from "@/components/account/verified-notice";
import { AutoTopUpNotice } from "@/components/billing/auto-top-up-notice";
import { resendVerificationAction } from "./settings/account/actions";
import { switchWorkspaceAction } from "./workspace-actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace, role } = await requireWorkspace();
  // Owners hear about a switched-off auto top-up on every page until they dismiss it.
  const [verification, all, topUp] = await Promise.all([
    verificationStatus(user.id),
    listMyWorkspaces(user.id),
    role === "OWNER" ? autoTopUpNotice(workspace.id) : null,
  ]);
  const account = verification.verified ? (
    <Suspense fallback={null}>
      <VerifiedNotice bonus={formatCredits(env.SIGNUP_BONUS_CREDITS)} />
    </Suspense>
  ) : (
    <VerifyEmailNotice
      email={verification.email}
      bonus={verification.bonus ? formatCredits(verification.bonus) : null}
      outbox={outboxVisible()}
      resend={resendVerificationAction}
    />
  );
  const banner = (
    <>
      {account}
      {topUp ? <AutoTopUpNotice reason={topUp.reason} /> : null}
    </>
  );
  // React Query lives here, not in the root layout: only the portal's live figures use it, so public
  // and sign-in pages ship without it.
  return (
    <Providers>
      <WorkspaceScope workspaceId={workspace.id}>
        <AppShell user={user} workspaces={{ current: workspace.id, all, switchAction: switchWorkspaceAction }} banner={banner}>
          {children}
        </AppShell>
      </WorkspaceScope>
    </Providers>
  );
}
