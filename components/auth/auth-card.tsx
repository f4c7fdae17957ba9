import type { ReactNode } from "react";
import Link from "next/link";
import { cn } from "@/lib/cn";

/** A link in an auth page's text ("Back to sign in", "Create an account"). */
export function AuthLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="font-semibold text-indigo-600 hover:text-indigo-500">
      {children}
    </Link>
  );
}

/**
 * The body of a sign-in, sign-up or link page: a centred heading, an optional line under it or notice,
 * the white card with the form or message, and an optional line below the card (a way elsewhere).
 */
export function AuthCard({
  title,
  intro,
  notice,
  footer,
  className,
  children,
}: {
  title: ReactNode;
  /** A line of explanation under the heading. */
  intro?: ReactNode;
  /** A status notice under the heading (e.g. "Password changed"). */
  notice?: ReactNode;
  /** A line under the card: a question and the link that answers it ("Remembered it?" Back to sign in). */
  footer?: { prompt?: string; href: string; link: string };
  /** Classes for the card (e.g. spacing between its children). */
  className?: string;
  children: ReactNode;
}) {
  return (
    <>
      <h1 className="text-center text-2xl font-bold tracking-tight">{title}</h1>
      {intro ? <p className="mt-2 text-center text-sm text-slate-600">{intro}</p> : null}
      {notice ? (
        <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2.5 text-sm text-emerald-900 ring-1 ring-inset ring-emerald-200">
          {notice}
        </p>
      ) : null}
      <div className={cn("mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8", className)}>{children}</div>
      {footer ? (
        <p className="mt-6 text-center text-sm text-slate-600">
          {footer.prompt ? `${footer.prompt} ` : null}
          <AuthLink href={footer.href}>{footer.link}</AuthLink>
        </p>
      ) : null}
    </>
  );
}
