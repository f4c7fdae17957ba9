import type { Key, ReactNode } from "react";
import { cn } from "@/lib/cn";
import { ScrollArea } from "@/components/ui/scroll-area";

/**
 * One column of a `Table`: its header, how a row fills its cell, and how the column lines up.
 * `header` is what the column head shows (an `<span className="sr-only">` for a column of buttons).
 */
export type Column<Row> = {
  header: ReactNode;
  cell: (row: Row, index: number) => ReactNode;
  /** Numbers line up on the right, in tabular figures. */
  align?: "right";
  /** The cell names its row (`<th scope="row">`), e.g. the workspace or the action. */
  rowHeader?: boolean;
  /** Shown from the `sm` breakpoint up; on a phone the column is left out. */
  fromSm?: boolean;
  /** Classes for the column's head and its cells (a width, say). */
  className?: string;
  /** Classes for the head only. */
  headClassName?: string;
  /** Classes for each cell only; a function when they depend on the row. */
  cellClassName?: string | ((row: Row) => string | undefined);
  /** The column's cell in the table's footer row (a total); a first column's footer names the row. */
  footer?: ReactNode;
};

const LOOKS = {
  /** The console's lists: a tinted head in small capitals, rows split by a rule. */
  boxed: {
    head: "border-b border-slate-200 bg-slate-50/60 text-left text-xs font-medium uppercase tracking-wide text-slate-500",
    th: "py-2.5",
    body: "divide-y divide-slate-100",
    row: "",
    td: "py-3",
  },
  /** Summaries inside a card: a plain head, a rule under every row. */
  plain: {
    head: "border-b border-slate-200 text-left text-slate-500",
    th: "py-2",
    body: "",
    row: "border-b border-slate-100",
    td: "py-2",
  },
} as const;

export type TableLook = keyof typeof LOOKS;

/**
 * Horizontal padding by position. An `inset` table runs to the edges of its card, so its first and last
 * columns line up with the card's text (px-5, px-6 from sm); one inside a card's body has none at the edges.
 * A column hidden on a phone hands the edge to the column before it until `sm`.
 */
function edgePadding(columns: { fromSm?: boolean }[], inset: boolean): string[] {
  const first = columns.findIndex((c) => !c.fromSm);
  const lastOnPhone = columns.findLastIndex((c) => !c.fromSm);
  const last = columns.length - 1;
  const [edgeL, edgeR, smEdgeL, smEdgeR] = inset ? ["pl-5", "pr-5", "sm:pl-6", "sm:pr-6"] : ["pl-0", "pr-0", "sm:pl-0", "sm:pr-0"];
  return columns.map((_, i) => {
    const left = i === 0 ? `${edgeL} ${smEdgeL}` : i === first ? `${edgeL} sm:pl-3` : "pl-3";
    const right = i === last ? `${edgeR} ${smEdgeR}` : i === lastOnPhone ? `${edgeR} sm:pr-3` : "pr-3";
    return `${left} ${right}`;
  });
}

/** `rowKey` may be left out when rows carry an `id`; it names each row's React key. */
type RowKeyProp<Row> = Row extends { id: Key } ? { rowKey?: (row: Row) => Key } : { rowKey: (row: Row) => Key };

const byId = (row: unknown): Key => (row as { id: Key }).id;

/** A table's props as `Table` reads them, `rowKey` optional whatever the rows (see `TableProps`). */
export type TableOptions<Row> = {
  /** What the table lists; read by screen readers (visible with `captionClassName`). */
  caption?: ReactNode;
  captionClassName?: string;
  /** The id of a heading that names the table, when it has no caption. */
  labelledBy?: string;
  /** Columns in order; `false` or `null` leaves one out (a column shown only sometimes). */
  columns: (Column<Row> | false | null | undefined)[];
  rows: readonly Row[];
  rowClassName?: string | ((row: Row) => string | undefined);
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  look?: TableLook;
  /** The table runs to the edges of its card (true) or sits inside a padded card body (false). */
  inset?: boolean;
  /**
   * A wide table's scroller: `label` names it (a focusable region), and below `minWidth` (a Tailwind
   * `min-w-…` class, e.g. `sm:min-w-[28rem]`) the table scrolls inside it. Without it a plain scroller.
   */
  scroll?: { label: string; minWidth: string };
  /** Classes for the scroller (e.g. `hidden xl:block`). */
  scrollClassName?: string;
  /** Classes for the `<table>`. */
  className?: string;
  rowKey?: (row: Row) => Key;
};

/** The props of a `Table`: rows without an `id` must say their key. */
export type TableProps<Row> = TableOptions<Row> & RowKeyProp<Row>;

/**
 * A data table: a head row, one row per item, right-aligned figures, an optional total row, and a
 * horizontal scroller of its own so a wide table never scrolls the page. With `empty` and no rows it
 * shows that message instead of an empty table. Rows are keyed by their `id` unless `rowKey` says otherwise
 * (it must, for rows without an `id`).
 *
 * ```tsx
 * <Table caption="Workspaces, newest first" scroll={{ label: "Workspaces table", minWidth: "min-w-[52rem]" }} rows={rows}
 *   columns={[
 *     { header: "Workspace", rowHeader: true, cell: (w) => w.name },
 *     { header: "Credits left", align: "right", cell: (w) => formatCredits(w.remaining) },
 *   ]} />
 * ```
 */
export function Table<Row>({
  caption,
  captionClassName,
  labelledBy,
  columns,
  rows,
  rowKey = byId,
  rowClassName,
  empty,
  look = "boxed",
  inset = true,
  scroll,
  scrollClassName,
  className,
}: TableProps<Row>) {
  if (rows.length === 0 && empty !== undefined) {
    return <p className={cn("text-sm text-slate-500", inset && "px-5 py-5 sm:px-6")}>{empty}</p>;
  }
  const cols = columns.filter((c): c is Column<Row> => Boolean(c));
  const styles = LOOKS[look];
  const padding = edgePadding(cols, inset);
  const place = (c: Column<Row>, i: number) =>
    cn(padding[i], c.align === "right" && "text-right tabular-nums", c.fromSm && "hidden sm:table-cell", c.className);
  const hasFooter = cols.some((c) => c.footer !== undefined);

  const table = (
    <table className={cn("w-full text-sm", scroll?.minWidth, className)} aria-labelledby={labelledBy}>
      {caption ? <caption className={captionClassName ?? "sr-only"}>{caption}</caption> : null}
      <thead>
        <tr className={styles.head}>
          {cols.map((c, i) => (
            <th key={i} scope="col" className={cn(place(c, i), styles.th, "font-medium", c.headClassName)}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className={styles.body || undefined}>
        {rows.map((row, r) => (
          <tr
            key={rowKey(row)}
            className={cn(styles.row, typeof rowClassName === "function" ? rowClassName(row) : rowClassName) || undefined}
          >
            {cols.map((c, i) => {
              const cellClass = cn(
                place(c, i),
                styles.td,
                c.rowHeader && "text-left font-normal",
                typeof c.cellClassName === "function" ? c.cellClassName(row) : c.cellClassName,
              );
              return c.rowHeader ? (
                <th key={i} scope="row" className={cellClass}>
                  {c.cell(row, r)}
                </th>
              ) : (
                <td key={i} className={cellClass}>
                  {c.cell(row, r)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      {hasFooter ? (
        <tfoot>
          <tr>
            {cols.map((c, i) =>
              i === 0 ? (
                <th key={i} scope="row" className={cn(place(c, i), "py-2.5 text-left font-semibold")}>
                  {c.footer}
                </th>
              ) : (
                <td key={i} className={cn(place(c, i), "py-2.5 font-semibold")}>
                  {c.footer}
                </td>
              ),
            )}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
  return scroll ? (
    <ScrollArea label={scroll.label} className={scrollClassName}>
      {table}
    </ScrollArea>
  ) : (
    <div className={cn("relative overflow-x-auto", scrollClassName)}>{table}</div>
  );
}

/**
 * `Table` as a component that wraps it renders it (`TableCard`, the console's `PagedTable`). The wrapper
 * takes `TableProps<Row>` itself, so `rowKey` is checked where the wrapper is used; TypeScript cannot hand
 * a wrapper's generic props on through that check (a conditional type), so the wrapper renders the same
 * component through this signature, with `rowKey` optional.
 */
export const WrappedTable = Table as <Row>(props: TableOptions<Row>) => ReactNode;
