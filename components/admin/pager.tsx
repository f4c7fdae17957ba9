import { Pager as PagerBar } from "@/components/ui/pager";
import { formatInteger } from "@/lib/format";

/** "← Previous" / "Next →" between numbered pages; `href(page)` keeps the rest of the query. */
export function Pager({
  label,
  page,
  pages,
  total,
  noun,
  href,
}: {
  label: string;
  page: number;
  pages: number;
  total: number;
  noun: [string, string];
  href: (page: number) => string;
}) {
  return (
    <PagerBar
      label={label}
      summary={`${formatInteger(total)} ${total === 1 ? noun[0] : noun[1]} · page ${page} of ${pages}`}
      prev={{ label: "← Previous", href: page > 1 ? href(page - 1) : null }}
      next={{ label: "Next →", href: page < pages ? href(page + 1) : null }}
    />
  );
}
