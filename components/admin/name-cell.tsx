import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import type { Column } from "@/components/ui/table";

type NameCellProps = {
  name: ReactNode;
  href: string | null;
  detail: ReactNode;
  /** The whole of the detail line on hover (an id it shortens, say). */
  detailTitle?: string;
  /** Classes the detail line adds (`font-mono` for ids). */
  detailClassName?: string;
};

/**
 * A console table's naming cell: the name, linked to its page when it has one, over a small grey line
 * that says more (a workspace's owner and id, the kind of an audit target). Both lines end in an
 * ellipsis when the column is too narrow.
 */
export function NameCell({ name, href, detail, detailTitle, detailClassName }: NameCellProps) {
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

/**
 * The column that names each row's workspace: a row header with the workspace's name, linked to its
 * console page, over what the table says about it (`describe`: the detail line, its title and classes).
 * `cellClassName` bounds the column's width. Give `Row` (TypeScript cannot infer it inside `columns`).
 */
export function workspaceColumn<Row extends { id: string; name: string }>(
  cellClassName: string,
  describe: (workspace: Row) => Pick<NameCellProps, "detail" | "detailTitle" | "detailClassName">,
): Column<Row> {
  return {
    header: "Workspace",
    rowHeader: true,
    cellClassName,
    cell: (w) => <NameCell name={w.name} href={`/admin/workspaces/${w.id}`} {...describe(w)} />,
  };
}
