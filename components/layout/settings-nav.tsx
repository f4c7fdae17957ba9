"use client";

import { NavTabs } from "@/components/ui/nav-tabs";
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
  // The tabs wrap onto a second row on a narrow screen rather than scroll sideways: a row that scrolls
  // hid the last tabs (Data, Account) at 390 px with nothing to say they were there. Every tab stays in
  // view and in reach without JS, and the tab order is unchanged.
  return (
    <NavTabs
      label="Settings"
      tabs={withAlerts(withUsage(items))}
      tone="light"
      narrow="wrap"
      className="max-w-6xl"
      after={(tab, active) => (tab.href === "/settings/billing" ? <BillingAlertDot onBillingPage={active} /> : null)}
    />
  );
}
