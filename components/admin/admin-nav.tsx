import { NavTabs, type NavTab } from "@/components/ui/nav-tabs";

const TABS: NavTab[] = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/workspaces", label: "Workspaces" },
  { href: "/admin/ledger", label: "Ledger" },
  { href: "/admin/prices", label: "Prices" },
  { href: "/admin/catalog", label: "Plans & packs" },
  { href: "/admin/keys", label: "Platform keys" },
  { href: "/admin/stripe", label: "Stripe events" },
  { href: "/admin/x402", label: "x402" },
  { href: "/admin/leads", label: "Sales leads" },
  { href: "/admin/audit", label: "Audit log" },
];

/** The console's sections; on a phone the row scrolls sideways. */
export function AdminNav() {
  return <NavTabs label="Admin" tabs={TABS} tone="dark" narrow="scroll" className="max-w-7xl" />;
}
