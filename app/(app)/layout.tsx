import { Suspense, type ReactNode } from "react";
import { requireWorkspace } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { formatCredits } from "@/lib/format";
import { outboxVisible } from "@/lib/mail";
import { verificationStatus } from "@/lib/accounts/verification";
import { AppShell } from "@/components/layout/app-shell";
import { VerifyEmailNotice } from "@/components/account/verify-email-notice";
import { VerifiedNotice } from "@/components/account/verified-notice";
import { resendVerificationAction } from "./settings/account/actions";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace } = await requireWorkspace();
  const verification = await verificationStatus(user.id);
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
    <AppShell user={user} workspaceName={workspace.name} banner={banner}>
      {children}
    </AppShell>
  );
}
