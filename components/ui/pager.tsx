import { ButtonLink } from "@/components/ui/button";

type PageLink = { label: string; href: string | null };

function PageButton({ link, rel }: { link: PageLink; rel: "prev" | "next" }) {
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

/** The foot of a list: what is shown, and links to the pages before and after (greyed out at either end). */
export function Pager({ label, summary, prev, next }: { label: string; summary: React.ReactNode; prev: PageLink; next: PageLink }) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 sm:px-6">
      <p className="text-sm text-slate-500">{summary}</p>
      <div className="flex gap-2">
        <PageButton link={prev} rel="prev" />
        <PageButton link={next} rel="next" />
      </div>
    </nav>
  );
}
