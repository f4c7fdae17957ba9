import { Suspense, type ReactNode } from "react";
import { requireWorkspace } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatCredits } from "@/lib/format";
import { outboxVisible } from "@/lib/mail";
import { verificationStatus } from "@/lib/accounts/verification";
import { listMyWorkspaces } from "@/lib/teams/members";
import { AppShell } from "@/components/layout/app-shell";
import { WorkspaceScope } from "@/components/layout/workspace-scope";
import { VerifyEmailNotice } from "@/components/account/verify-email-notice";
import { VerifiedNotice } from "@/components/account/verified-notice";
import { resendVerificationAction } from "./settings/account/actions";
import { switchWorkspaceAction } from "./workspace-actions";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace } = await requireWorkspace();
  const [verification, all] = await Promise.all([verificationStatus(user.id), listMyWorkspaces(user.id)]);
  const banner = verification.verified ? (
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
  return (
    <WorkspaceScope workspaceId={workspace.id}>
      <AppShell user={user} workspaces={{ current: workspace.id, all, switchAction: switchWorkspaceAction }} banner={banner}>
        {children}
      </AppShell>
    </WorkspaceScope>
  );
}
