import { PagerBar } from "@/components/ui/pager-bar";
import { formatInteger } from "@/lib/format";

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
    <PagerBar
      label={label}
      summary={`${formatInteger(total)} ${total === 1 ? noun[0] : noun[1]} · page ${page} of ${pages}`}
      prev={{ label: "← Previous", href: page > 1 ? href(page - 1) : null }}
      next={{ label: "Next →", href: page < pages ? href(page + 1) : null }}
    />
  );
}
