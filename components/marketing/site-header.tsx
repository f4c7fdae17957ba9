import { ButtonLink } from "@/components/ui/button";
import { Logo } from "@/components/ui/logo";

/** The public pages' header; `current` marks the page the visitor is on. */
export function SiteHeader({ current }: { current?: "pricing" }) {
  return (
    <header className="mx-auto flex max-w-6xl items-center justify-between gap-2 px-4 py-5 sm:px-6">
      <Logo />
      <nav aria-label="Main" className="flex items-center gap-1 sm:gap-2">
        <ButtonLink
          href="/pricing"
          variant="ghost"
          aria-current={current === "pricing" ? "page" : undefined}
          className={current === "pricing" ? "bg-slate-100" : undefined}
        >
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
