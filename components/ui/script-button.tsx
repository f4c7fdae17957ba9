"use client";

import type { ComponentProps } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * A button whose only action is its click handler: disabled until the page has hydrated. Rendered on
 * the server it looks ready, but a click before React has attached the handler would be lost — the
 * customer presses "Buy" and nothing happens (seen in the e2e suite: a click 0.8 s after load opened no
 * checkout). components/ui/button.tsx picks it for every `onClick` button that does not submit a form.
 */
export function ScriptButton({ disabled, ...props }: ComponentProps<"button">) {
  const hydrated = useHydrated();
  return <button disabled={!hydrated || disabled} {...props} />;
}
