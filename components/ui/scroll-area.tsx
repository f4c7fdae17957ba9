import type { ReactNode } from "react";

/**
 * A table's own horizontal scroller: on a phone a wide table scrolls inside its card, never the page.
 * Focusable and named, so keyboard users can scroll it too.
 */
export function ScrollArea({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={`relative overflow-x-auto focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 ${className ?? ""}`}
    >
      {children}
    </div>
  );
}
