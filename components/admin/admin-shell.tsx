import type { ReactNode } from "react";
import Link from "next/link";
import { AdminNav } from "@/components/admin/admin-nav";
import { SignOutButton } from "@/components/layout/sign-out-button";

/** The operator console's frame: a dark header, so nobody mistakes it for a customer's portal. */
export function AdminShell({ user, children }: { user: { email: string }; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="bg-slate-900">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <Link href="/admin" className="flex min-w-0 items-center gap-2 font-semibold text-white">
            <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7 shrink-0">
              <rect width="32" height="32" rx="8" fill="#4f46e5" />
              <path d="M9 11h14M9 16h10M9 21h6" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
            </svg>
            <span className="hidden min-[400px]:inline">Creditbook</span>
            <span className="rounded bg-amber-400 px-1.5 py-0.5 text-xs font-bold uppercase tracking-wide text-slate-900">Admin</span>
          </Link>
          <div className="flex items-center gap-2 sm:gap-3">
            <span className="hidden text-sm text-slate-300 lg:inline">{user.email}</span>
            <Link
              href="/settings/billing"
              className="whitespace-nowrap rounded-md px-2 py-1.5 text-sm font-medium text-slate-200 hover:bg-slate-800 hover:text-white"
            >
              <span aria-hidden="true">← </span>Portal
            </Link>
            <div className="[&_button]:text-slate-200 [&_button:hover]:bg-slate-800 [&_button:hover]:text-white">
              <SignOutButton />
            </div>
          </div>
        </div>
        <AdminNav />
      </header>
      <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
