import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { Logo } from "@/components/ui/logo";

/** The public pages' header; `current` marks the page the visitor is on. */
export function SiteHeader({ current }: { current?: "pricing" }) {
  return (
    <header className="mx-auto flex max-w-6xl items-center justify-between gap-2 px-4 py-5 sm:px-6">
      <Logo />
      <nav aria-label="Main" className="flex items-center gap-1 sm:gap-2">
        <ButtonLink href="/pricing" variant="ghost" aria-current={current === "pricing" ? "page" : undefined} className={current === "pricing" ? "bg-slate-100" : undefined}>
          Pricing
        </ButtonLink>
        <ButtonLink href="/login" variant="ghost">
          Sign in
        </ButtonLink>
        {/* On a phone the page's own sign-up buttons stand in for this one, so the header fits. */}
        <ButtonLink href="/signup" className="hidden sm:inline-flex">
          Create account
        </ButtonLink>
      </nav>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-8 text-sm text-slate-500 sm:px-6">
        <p>Prices in US dollars. 1 credit = $0.01 for packs; plans cost less per credit.</p>
        <nav aria-label="Footer" className="flex flex-wrap gap-x-5 gap-y-2">
          <Link href="/" prefetch={false} className="hover:text-slate-900">
            Home
          </Link>
          <Link href="/docs/api" prefetch={false} className="hover:text-slate-900">
            API reference
          </Link>
          <Link href="/login" prefetch={false} className="hover:text-slate-900">
            Sign in
          </Link>
        </nav>
      </div>
    </footer>
  );
}
