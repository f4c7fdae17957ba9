"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";
import { RENDERED_WORKSPACE_FIELD, RENDERED_WORKSPACE_HEADER } from "@/lib/auth/rendered-workspace";

const RenderedWorkspace = createContext<string | null>(null);

/**
 * Everything the portal shows belongs to one workspace, the one the layout was rendered for:
 * - live figures (React Query): switching gives the portal a fresh cache, so no page shows the previous
 *   workspace's balance or alerts while it refetches (the queries' keys stay workspace-free);
 * - what a page does: its forms and fetches say which workspace they were rendered for
 *   (lib/auth/rendered-workspace.ts), so a switch in another tab makes them stop with "reload" instead
 *   of acting on the other workspace.
 */
export function WorkspaceScope({ workspaceId, children }: { workspaceId: string; children: ReactNode }) {
  const [clients] = useState(() => new Map<string, QueryClient>());
  let client = clients.get(workspaceId);
  if (!client) {
    for (const old of clients.values()) old.clear();
    clients.clear();
    client = new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1 } } });
    clients.set(workspaceId, client);
  }
  return (
    <RenderedWorkspace.Provider value={workspaceId}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </RenderedWorkspace.Provider>
  );
}

/**
 * The workspace this page was rendered for; null outside the portal (the operator console's key forms
 * share these components and act on no workspace), where the helpers below add nothing.
 */
function useRenderedWorkspace(): string | null {
  return useContext(RenderedWorkspace);
}

/** The hidden field that tells a server action which workspace its form was rendered for. */
export function WorkspaceField() {
  const id = useRenderedWorkspace();
  return id ? <input type="hidden" name={RENDERED_WORKSPACE_FIELD} value={id} /> : null;
}

/** For forms built in code: adds the rendered workspace to a FormData. */
export function useWithWorkspace(): (data: FormData) => FormData {
  const id = useRenderedWorkspace();
  return (data) => {
    if (id) data.set(RENDERED_WORKSPACE_FIELD, id);
    return data;
  };
}

/** Headers for the portal's fetches to /api/workspace and /api/stripe. */
export function useWorkspaceHeaders(): Record<string, string> {
  const id = useRenderedWorkspace();
  return id ? { [RENDERED_WORKSPACE_HEADER]: id } : {};
}
