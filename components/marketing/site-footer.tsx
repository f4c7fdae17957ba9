import Link from "next/link";
import { Logo } from "@/components/ui/logo";

const LINKS = [
  { href: "/pricing", label: "Pricing" },
  { href: "/docs/api", label: "API docs" },
  { href: "/contact-sales", label: "Contact sales" },
  { href: "/login", label: "Sign in" },
] as const;

/** The public pages' footer (a server component, no client JS); `note` adds a line of the page's own. */
export function SiteFooter({ note }: { note?: string }) {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto grid max-w-6xl gap-6 px-4 py-10 text-sm text-slate-500 sm:grid-cols-[1fr_auto] sm:px-6">
        <div className="space-y-2">
          <Logo />
          <p className="max-w-md">Credits, metering and billing for AI products. Self-hosted, on PostgreSQL.</p>
          {note ? <p className="max-w-md">{note}</p> : null}
        </div>
        <nav aria-label="Footer" className="sm:text-right">
          <ul className="flex flex-wrap gap-x-5 gap-y-2 sm:flex-col sm:items-end">
            {LINKS.map((l) => (
              <li key={l.href}>
                <Link href={l.href} prefetch={false} className="font-medium text-slate-600 hover:text-slate-900">
                  {l.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </footer>
  );
}
