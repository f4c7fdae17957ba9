import type { ReactNode } from "react";
import { requireWorkspace } from "@/lib/auth/session";
import { AppShell } from "@/components/layout/app-shell";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace } = await requireWorkspace();
  return (
    <AppShell user={user} workspaceName={workspace.name}>
      {children}
    </AppShell>
  );
}
