import type { ReactNode } from "react";
import { TitledCard } from "@/components/ui/card";
import { WrappedTable, type TableProps } from "@/components/ui/table";

type CardProps = {
  title: string;
  description?: ReactNode;
  /** The heading's id (made from the title when not given). */
  id?: string;
  /** The heading is for screen readers only: the card is one table under the page's own title. */
  titleHidden?: boolean;
  /** Classes for the card (the table takes none here). */
  className?: string;
  /** What follows the table inside the card: a pager, say. */
  footer?: ReactNode;
};

/**
 * A card that is one table: a `TitledCard` with the table running to its edges, and `footer` under it.
 * The card takes its title, description, id, `titleHidden` and `className`; every other prop is the table's.
 *
 * ```tsx
 * <TableCard title="Latest payments" caption="The latest payments, newest first" rows={rows} columns={[…]} />
 * ```
 */
export function TableCard<Row>({ title, description, id, titleHidden, className, footer, ...table }: TableProps<Row> & CardProps) {
  return (
    <TitledCard title={title} description={description} id={id} titleHidden={titleHidden} className={className}>
      <WrappedTable {...table} />
      {footer}
    </TitledCard>
  );
}
