import Link from "next/link";

/** `compact`: the wordmark only from the sm breakpoint up (the portal header, when it holds a workspace menu). */
export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <Link href="/" prefetch={false} aria-label="Creditbook home" className="flex items-center gap-2 font-semibold text-slate-900">
      <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path d="M9 11h14M9 16h10M9 21h6" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <span className={compact ? "hidden sm:inline" : "hidden min-[360px]:inline"}>Creditbook</span>
    </Link>
  );
}
