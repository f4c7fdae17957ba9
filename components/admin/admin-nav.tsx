"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

const ITEMS = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/workspaces", label: "Workspaces", exact: false },
  { href: "/admin/ledger", label: "Ledger", exact: false },
  { href: "/admin/prices", label: "Prices", exact: false },
  { href: "/admin/catalog", label: "Plans & packs", exact: false },
  { href: "/admin/keys", label: "Platform keys", exact: false },
  { href: "/admin/stripe", label: "Stripe events", exact: false },
  { href: "/admin/x402", label: "x402", exact: false },
  { href: "/admin/leads", label: "Sales leads", exact: false },
  { href: "/admin/audit", label: "Audit log", exact: false },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="mx-auto flex max-w-7xl gap-1 overflow-x-auto px-4 sm:px-6">
      {ITEMS.map((item) => {
        const active = item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            prefetch={false}
            aria-current={active ? "page" : undefined}
            className={cn(
              "whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium",
              active ? "border-amber-400 text-white" : "border-transparent text-slate-300 hover:border-slate-500 hover:text-white",
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
