"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and while the page hydrates, true after (and at once in components mounted
 * later). For what only the browser knows — the viewer's time zone — so the hydrating render matches
 * the server's HTML and the browser's version follows.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
