"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

export type NavTab = { href: string; label: string; /** Active only on this very path, not below it. */ exact?: boolean };

const TONES = {
  /** On the console's dark bar. */
  dark: {
    active: "border-amber-400 text-white",
    idle: "border-transparent text-slate-300 hover:border-slate-500 hover:text-white",
  },
  /** On a light page. */
  light: {
    active: "border-indigo-600 text-slate-900",
    idle: "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-700",
  },
} as const;

/**
 * A section's navigation: a row of links, the current one underlined and marked `aria-current="page"`
 * (a link is current on its path and below it, or only on its path when `exact`). On a narrow screen
 * the row either scrolls sideways (`narrow="scroll"`) or wraps onto a second row (`narrow="wrap"`), so
 * every tab stays in view.
 */
export function NavTabs({
  label,
  tabs,
  tone,
  narrow,
  className,
  after,
}: {
  /** The navigation landmark's name ("Admin", "Settings"). */
  label: string;
  tabs: NavTab[];
  tone: keyof typeof TONES;
  narrow: "scroll" | "wrap";
  /** The row's width and margins. */
  className?: string;
  /** Something after a tab's label (a dot saying the tab needs attention). */
  after?: (tab: NavTab, active: boolean) => ReactNode;
}) {
  const pathname = usePathname();
  return (
    <nav
      aria-label={label}
      className={cn("mx-auto flex gap-x-1 px-4 sm:px-6", narrow === "scroll" ? "overflow-x-auto" : "flex-wrap", className)}
    >
      {tabs.map((tab) => {
        const active = pathname === tab.href || (!tab.exact && pathname.startsWith(`${tab.href}/`));
        return (
          <Link
            key={tab.href}
            href={tab.href}
            prefetch={false}
            aria-current={active ? "page" : undefined}
            className={cn("whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium", active ? TONES[tone].active : TONES[tone].idle)}
          >
            {tab.label}
            {after?.(tab, active)}
          </Link>
        );
      })}
    </nav>
  );
}
