import { Pager } from "@/components/admin/pager";
import { TitledCard } from "@/components/ui/card";
import { WrappedTable, type TableProps } from "@/components/ui/table";

/**
 * One of the console's numbered lists (audit log, Stripe events, workspaces): a card that is the table of
 * one page of results under the page's own title (the card's heading is for screen readers), with the
 * pager under the table. `page` is the page read (lib/admin/paging.ts); `pager` names the pager, what it
 * counts and each page's address. Every other prop is the table's.
 */
export function PagedTable<Row>({
  title,
  id,
  page,
  pager,
  ...table
}: Omit<TableProps<Row>, "rows"> & {
  title: string;
  id?: string;
  page: { rows: readonly Row[]; page: number; pages: number; total: number };
  pager: { label: string; noun: [string, string]; href: (page: number) => string };
}) {
  return (
    <TitledCard id={id} title={title} titleHidden>
      <WrappedTable {...table} rows={page.rows} />
      <Pager {...pager} of={page} />
    </TitledCard>
  );
}
