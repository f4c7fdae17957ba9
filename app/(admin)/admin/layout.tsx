import type { Metadata } from "next";
import type { ReactNode } from "react";
import { currentAdmin, requireAdmin } from "@/lib/auth/session";
import { AdminShell } from "@/components/admin/admin-shell";

export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin())
    ? { title: { default: "Admin", template: "%s · Admin · Creditbook" }, robots: { index: false, follow: false } }
    : {};
}

// The guard runs here for the frame and again in every page and action: Next renders layouts and pages
// in parallel, and a client navigation between admin pages does not re-render this layout.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireAdmin();
  return <AdminShell user={user}>{children}</AdminShell>;
}
