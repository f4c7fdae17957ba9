import { Suspense, type ReactNode } from "react";
import Link from "next/link";
import { Logo } from "@/components/ui/logo";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { SettingsNav } from "@/components/layout/settings-nav";
import { WorkspaceSwitcher } from "@/components/layout/workspace-switcher";

const nav = [
  { href: "/settings/billing", label: "Billing" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/members", label: "Members" },
  { href: "/settings/data", label: "Data" },
  { href: "/settings/account", label: "Account" },
];

type Workspaces = {
  current: string;
  all: { id: string; name: string; role: "OWNER" | "MEMBER" }[];
  switchAction: (formData: FormData) => Promise<{ ok: false; message: string }>;
};

export function AppShell({
  user,
  workspaces,
  banner,
  children,
}: {
  user: { email: string; isAdmin?: boolean };
  workspaces: Workspaces;
  /** Notices between the header and the page: the account's (email verification), the owners' (auto top-up off). */
  banner?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <div className="flex min-w-0 items-center gap-4">
            <Logo compact={workspaces.all.length > 1} />
            <WorkspaceSwitcher workspaces={workspaces.all} currentId={workspaces.current} action={workspaces.switchAction} />
          </div>
          <div className="flex items-center gap-3">
            <span className="hidden text-sm text-slate-600 md:inline">{user.email}</span>
            {user.isAdmin ? (
              <Link
                href="/admin"
                prefetch={false}
                aria-label="Admin console"
                className="whitespace-nowrap rounded-md px-2 py-1 text-sm font-semibold text-indigo-700 hover:bg-indigo-50 hover:text-indigo-600"
              >
                Admin<span className="hidden sm:inline"> console</span>
              </Link>
            ) : null}
            <SignOutButton />
          </div>
        </div>
        <Suspense>
          <SettingsNav items={nav} />
        </Suspense>
      </header>
      {/* A Suspense boundary hydrates in a task of its own, so a slow phone stays responsive while the
          portal starts. (Not around the page itself: React streams a large boundary apart and reveals it
          a moment later, which would hold back the page's first meaningful paint.) */}
      <Suspense>{banner}</Suspense>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
