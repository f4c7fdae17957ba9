"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import { BillingAlertDot } from "@/components/alerts/billing-alert-dot";

type NavItem = { href: string; label: string };

const USAGE: NavItem = { href: "/settings/usage", label: "Usage" };

/** The usage history sits right after Billing (before API keys), whatever list the shell passes. */
function withUsage(items: NavItem[]): NavItem[] {
  if (items.some((i) => i.href === USAGE.href)) return items;
  const billing = items.findIndex((i) => i.href === "/settings/billing");
  return [...items.slice(0, billing + 1), USAGE, ...items.slice(billing + 1)];
}

const ALERTS: NavItem = { href: "/settings/alerts", label: "Alerts" };

/** Usage alert settings sit right after API keys (at the end if there is none). */
function withAlerts(items: NavItem[]): NavItem[] {
  if (items.some((i) => i.href === ALERTS.href)) return items;
  const keys = items.findIndex((i) => i.href === "/settings/api-keys");
  const at = keys === -1 ? items.length : keys + 1;
  return [...items.slice(0, at), ALERTS, ...items.slice(at)];
}

export function SettingsNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  // The tabs wrap onto a second row on a narrow screen rather than scroll sideways: a row that scrolls
  // hid the last tabs (Data, Account) at 390 px with nothing to say they were there. Every tab stays in
  // view and in reach without JS, and the tab order is unchanged.
  return (
    <nav aria-label="Settings" className="mx-auto flex max-w-6xl flex-wrap gap-x-1 px-4 sm:px-6">
      {withAlerts(withUsage(items)).map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            prefetch={false}
            aria-current={active ? "page" : undefined}
            className={cn(
              "whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium",
              active ? "border-indigo-600 text-slate-900" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-700",
            )}
          >
            {item.label}
            {item.href === "/settings/billing" ? <BillingAlertDot onBillingPage={active} /> : null}
          </Link>
        );
      })}
    </nav>
  );
}
