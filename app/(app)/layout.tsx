import type { ReactNode } from "react";
import { requireWorkspace } from "@/lib/auth/session";
import { AppShell } from "@/components/layout/app-shell";
import { autoTopUpNotice } from "@/lib/billing/stripe/auto-top-up";
import { AutoTopUpNotice } from "@/components/billing/auto-top-up-notice";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace, role } = await requireWorkspace();
  // Owners hear about a switched-off auto top-up on every page until they dismiss it.
  const notice = role === "OWNER" ? await autoTopUpNotice(workspace.id) : null;
  return (
    <AppShell user={user} workspaceName={workspace.name} notice={notice ? <AutoTopUpNotice reason={notice.reason} /> : null}>
      {children}
    </AppShell>
  );
}
