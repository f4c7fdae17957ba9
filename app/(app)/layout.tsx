import type { ReactNode } from "react";
import { requireWorkspace } from "@/lib/auth/session";
import { listMyWorkspaces } from "@/lib/teams/members";
import { AppShell } from "@/components/layout/app-shell";
import { WorkspaceScope } from "@/components/layout/workspace-scope";
import { switchWorkspaceAction } from "./workspace-actions";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user, workspace } = await requireWorkspace();
  const all = await listMyWorkspaces(user.id);
  return (
    <WorkspaceScope workspaceId={workspace.id}>
      <AppShell user={user} workspaces={{ current: workspace.id, all, switchAction: switchWorkspaceAction }}>
        {children}
      </AppShell>
    </WorkspaceScope>
  );
}
