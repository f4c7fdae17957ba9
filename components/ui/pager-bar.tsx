import type { ReactNode } from "react";
import { ButtonLink } from "@/components/ui/button";

/** A pager link: where it goes, or null on the first or last page (then it shows greyed out). */
export type PagerLink = { label: string; href: string | null };

function PagerButton({ link, rel }: { link: PagerLink; rel: "prev" | "next" }) {
  return link.href ? (
    <ButtonLink variant="secondary" href={link.href} rel={rel}>
      {link.label}
    </ButtonLink>
  ) : (
    <span
      aria-disabled="true"
      className="inline-flex items-center rounded-md px-3 py-2 text-sm font-semibold text-slate-300 ring-1 ring-inset ring-slate-200"
    >
      {link.label}
    </span>
  );
}

/** The bar under a list: what is shown on the left, the previous and next pages on the right. */
export function PagerBar({ label, summary, prev, next }: { label: string; summary: ReactNode; prev: PagerLink; next: PagerLink }) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 sm:px-6">
      <p className="text-sm text-slate-500">{summary}</p>
      <div className="flex gap-2">
        <PagerButton link={prev} rel="prev" />
        <PagerButton link={next} rel="next" />
      </div>
    </nav>
  );
}
