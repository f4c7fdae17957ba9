import { ButtonLink } from "@/components/ui/button";
import { formatInteger } from "@/lib/format";

function Disabled({ children }: { children: string }) {
  return (
    <span
      aria-disabled="true"
      className="inline-flex items-center rounded-md px-3 py-2 text-sm font-semibold text-slate-300 ring-1 ring-inset ring-slate-200"
    >
      {children}
    </span>
  );
}

/**
 * "← Previous" / "Next →" between numbered pages of a list (`of`: the page shown, how many pages and
 * items); `href(page)` keeps the rest of the query. Nothing when the list is empty.
 */
export function Pager({
  label,
  of: { page, pages, total },
  noun,
  href,
}: {
  label: string;
  of: { page: number; pages: number; total: number };
  noun: [string, string];
  href: (page: number) => string;
}) {
  if (total === 0) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 sm:px-6">
      <p className="text-sm text-slate-500">
        {formatInteger(total)} {total === 1 ? noun[0] : noun[1]} · page {page} of {pages}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <ButtonLink variant="secondary" href={href(page - 1)} rel="prev">
            ← Previous
          </ButtonLink>
        ) : (
          <Disabled>← Previous</Disabled>
        )}
        {page < pages ? (
          <ButtonLink variant="secondary" href={href(page + 1)} rel="next">
            Next →
          </ButtonLink>
        ) : (
          <Disabled>Next →</Disabled>
        )}
      </div>
    </nav>
  );
}
