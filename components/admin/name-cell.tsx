import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/**
 * A console table's naming cell: the name, linked to its page when it has one, over a small grey line
 * that says more (a workspace's owner and id, the kind of an audit target). Both lines end in an
 * ellipsis when the column is too narrow.
 */
export function NameCell({
  name,
  href,
  detail,
  detailTitle,
  detailClassName,
}: {
  name: ReactNode;
  href: string | null;
  detail: ReactNode;
  /** The whole of the detail line on hover (an id it shortens, say). */
  detailTitle?: string;
  /** Classes the detail line adds (`font-mono` for ids). */
  detailClassName?: string;
}) {
  return (
    <>
      {href ? (
        <Link href={href} className="block truncate font-medium text-indigo-700 hover:text-indigo-600">
          {name}
        </Link>
      ) : (
        <span className="block truncate text-slate-800">{name}</span>
      )}
      <span className={cn("block truncate text-xs text-slate-500", detailClassName)} title={detailTitle}>
        {detail}
      </span>
    </>
  );
}
