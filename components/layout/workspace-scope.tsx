"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/**
 * Live figures (React Query) belong to one workspace: switching gives the portal a fresh cache, so no
 * page shows the previous workspace's balance or alerts while it refetches. The queries' keys stay
 * workspace-free; the cache itself is per workspace.
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
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
